import type { GradeTarget } from './grade-target.js';

/**
 * What grade passback needs from the LMS (LTI AGS), in its own words; src/lti/ags.ts implements it. Every
 * LMS answer that is not a success reaches the domain as an LmsAnswer, classified by grade-outcome.ts.
 */

export interface LmsLineItem {
  url: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  gradesReleased?: boolean;
}

/** The LMS's answer (or the lack of one) to one request. */
export type LmsAnswer =
  | {
      /** Which request answered: the access token request or the service itself. */
      stage: 'token' | 'service';
      status: number;
      body: string;
      headers: Record<string, string | undefined>;
    }
  | { stage: 'token' | 'service'; status?: undefined; network: string };

/** A request that did not succeed; carries the LMS's answer for classification. */
export class LmsCallError extends Error {
  constructor(readonly answer: LmsAnswer) {
    super(answer.status === undefined ? answer.network : `HTTP ${answer.status}`);
    this.name = 'LmsCallError';
  }
}

/** An AGS score (application/vnd.ims.lis.v1.score+json) without its timestamp: the client stamps each attempt. */
export interface LmsScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
  activityProgress: 'Completed';
  gradingProgress: 'FullyGraded';
}

export interface AgsClient {
  /** Our line item for the target's resource link (filtered by resource_link_id and our tag), if any. */
  findLineItem(target: GradeTarget): Promise<LmsLineItem | undefined>;
  /** Creates the activity's line item (label, scoreMaximum, resourceLinkId, our tag, resourceId). */
  createLineItem(target: GradeTarget): Promise<LmsLineItem>;
  /** Sets the line item's gradesReleased (a read and a full PUT, as AGS asks). */
  setGradesReleased(target: GradeTarget, lineItemUrl: string, released: boolean): Promise<LmsLineItem>;
  /**
   * Posts one score with a fresh timestamp. Resolves with the answer whatever its status; rejects only on
   * a bug. `freshToken` asks the LMS for a new access token first (after a 401).
   */
  postScore(
    target: GradeTarget,
    lineItemUrl: string,
    score: LmsScore,
    options?: { freshToken?: boolean },
  ): Promise<LmsAnswer>;
}

/** Not the LMS's answer but ours: this grade cannot be posted (the registration is gone, say). Never retried. */
export class NotPostableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPostableError';
  }
}
