import type { Connection } from 'mongoose';
import type { GradeTarget, GradeTargetStore } from '../attendance/grade-target.js';
import type { IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';

const TARGETS = 'grade_targets';
export const GRADE_TARGET_INDEXES: readonly IndexSpec[] = [];

/** One document per room, `_id` the room key (see GradeTargetStore.put on why last writer wins). */
export function createGradeTargetStore(connection: Connection): GradeTargetStore {
  const Targets = modelOf<GradeTarget & { _id: string }>(connection, 'GradeTarget', () =>
    looseSchema(TARGETS, { _id: String }),
  );
  return {
    async put(target) {
      await Targets.replaceOne({ _id: target.roomKey }, { _id: target.roomKey, ...target }, { upsert: true });
    },
    async get(roomKey) {
      const doc = await Targets.findById(roomKey).lean<GradeTarget & { _id: string }>();
      return doc ? strip(doc) : undefined;
    },
  };
}
