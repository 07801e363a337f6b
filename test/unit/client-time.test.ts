import assert from 'node:assert/strict';
import { formatSchedule, pickTimeZone, utcToZonedTime, zoneOffsetMs, zonedTimeToUtc } from '../../client/src/time.js';

const HOUR = 60 * 60 * 1000;

describe('client time helpers', () => {
  describe('zonedTimeToUtc', () => {
    const cases: Array<[string, string, string, string, string | undefined]> = [
      ['UTC', 'UTC', '2025-10-14', '14:00', '2025-10-14T14:00:00.000Z'],
      ['Paris in summer (+2)', 'Europe/Paris', '2025-07-01', '09:30', '2025-07-01T07:30:00.000Z'],
      ['Paris in winter (+1)', 'Europe/Paris', '2025-01-15', '09:30', '2025-01-15T08:30:00.000Z'],
      ['New York in winter (-5)', 'America/New_York', '2025-01-15', '09:30', '2025-01-15T14:30:00.000Z'],
      ['a day boundary', 'America/Los_Angeles', '2025-12-31', '20:00', '2026-01-01T04:00:00.000Z'],
      ['Kolkata (+5:30)', 'Asia/Kolkata', '2025-03-01', '00:15', '2025-02-28T18:45:00.000Z'],
      ['Chatham (+13:45 in summer)', 'Pacific/Chatham', '2025-01-01', '12:00', '2024-12-31T22:15:00.000Z'],
      ['south of the equator, DST in January', 'Australia/Sydney', '2025-01-10', '10:00', '2025-01-09T23:00:00.000Z'],
      // Spring forward: 02:30 does not exist in New York on 2025-03-09; it means 03:30 EDT.
      ['a skipped time moves forward', 'America/New_York', '2025-03-09', '02:30', '2025-03-09T07:30:00.000Z'],
      // Fall back: 01:30 happens twice in New York on 2025-11-02; the first one (EDT) wins.
      ['a repeated time takes the earlier', 'America/New_York', '2025-11-02', '01:30', '2025-11-02T05:30:00.000Z'],
      ['right after the switch', 'Europe/Paris', '2025-03-30', '03:00', '2025-03-30T01:00:00.000Z'],
      ['unknown zone', 'Mars/Olympus_Mons', '2025-01-01', '10:00', undefined],
      ['no date', 'UTC', '', '10:00', undefined],
      ['no time', 'UTC', '2025-01-01', '', undefined],
      ['impossible date', 'UTC', '2025-02-30', '10:00', undefined],
      ['impossible hour', 'UTC', '2025-02-01', '24:00', undefined],
    ];
    for (const [name, zone, date, time, expected] of cases) {
      it(`${name}: ${date} ${time} ${zone} -> ${expected ?? 'undefined'}`, () => {
        assert.equal(zonedTimeToUtc(date, time, zone), expected);
      });
    }

    it('round-trips every hour of a DST-switching year in Paris', () => {
      const start = Date.UTC(2025, 0, 1);
      for (let t = start; t < start + 366 * 24 * HOUR; t += HOUR) {
        const { date, time } = utcToZonedTime(new Date(t), 'Europe/Paris');
        const back = zonedTimeToUtc(date, time, 'Europe/Paris');
        // In the repeated hour of October the earlier reading wins, one hour before the later instant.
        const expected = back === new Date(t).toISOString() ? t : t - HOUR;
        assert.equal(back, new Date(expected).toISOString(), `${date} ${time}`);
      }
    });
  });

  it('zoneOffsetMs reads the offset in force at an instant', () => {
    assert.equal(zoneOffsetMs(Date.UTC(2025, 6, 1), 'Europe/Paris'), 2 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2025, 0, 1), 'America/New_York'), -5 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2025, 0, 1, 0, 0, 0, 999), 'Asia/Kolkata'), 5.5 * HOUR);
  });

  it('utcToZonedTime shows the wall clock', () => {
    assert.deepEqual(utcToZonedTime('2025-07-01T07:30:00Z', 'Europe/Paris'), { date: '2025-07-01', time: '09:30' });
  });

  it('pickTimeZone prefers a valid LMS zone, then the browser, then UTC', () => {
    assert.equal(pickTimeZone('Europe/Paris', 'Asia/Tokyo'), 'Europe/Paris');
    assert.equal(pickTimeZone('Not/AZone', 'Asia/Tokyo'), 'Asia/Tokyo');
    assert.equal(pickTimeZone(undefined, undefined), 'UTC');
  });

  it('formatSchedule shows start and end in the zone', () => {
    const text = formatSchedule('2025-07-01T07:30:00Z', 90, 'Europe/Paris', 'en-GB');
    assert.match(text, /1 July 2025/);
    assert.match(text, /09:30/);
    assert.match(text, /11:00/);
  });
});
