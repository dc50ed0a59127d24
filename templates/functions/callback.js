// Creates the Flex task that keeps the hub's promise to answer: a voicemail, or a message out of hours.
// A voicemail's transcript is no output of the recording: Twilio posts it here later (type=transcript, with
// CallSid and TranscriptionText), and it is added to the task of that call.
// Configuration comes from the Serverless environment's variables, set by `deh apply`:
//   WORKSPACE_SID, WORKFLOW_SID, CALLBACK_QUEUE, PROMISE_HOURS.
// The task's answer_by is the promise's deadline, the same as the hub service's (deh_deploy/hub/promise.py): the
// later of PROMISE_HOURS real hours after the contact and the close of the next working day (the end of the last
// shift starting on the first working day after the contact's local date). A working day is one with a shift,
// not a closed date of the compiled schedule (the private asset /schedule.json the hours Function reads), and a
// working day of the country's week (its "promise" section: the weekend of each year and the weekend days worked).
// A day outside the schedule's years is not a working day. Without a readable schedule, answer_by is the hours
// alone: the task matters more than its deadline. Parameter "at" (an ISO instant, for tests) stands for now.
'use strict';

const fs = require('fs');

const MS_PER_DAY = 86400000;
const SEARCH_DAYS = 370;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const formatters = {};

function formatterFor(timeZone) {
  if (!Object.prototype.hasOwnProperty.call(formatters, timeZone)) {
    formatters[timeZone] = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }
  return formatters[timeZone];
}

// The wall clock of an instant, as milliseconds of a UTC clock showing the same date and time.
function wallMs(timeZone, epochMs) {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts = {};
  formatterFor(timeZone).formatToParts(new Date(whole)).forEach(function (part) { parts[part.type] = part.value; });
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24,
    Number(parts.minute), Number(parts.second));
}

function offsetMs(timeZone, epochMs) {
  return wallMs(timeZone, epochMs) - Math.floor(epochMs / 1000) * 1000;
}

// The instant a wall-clock time names; an ambiguous or skipped time is read with the offset before the change
// (Python's fold=0, as the hub service reads it).
function instantOfWall(timeZone, wall) {
  const before = offsetMs(timeZone, wall - MS_PER_DAY);
  const after = offsetMs(timeZone, wall + MS_PER_DAY);
  const early = wall - before;
  if (before === after || offsetMs(timeZone, early) === before) {
    return early;
  }
  const late = wall - after;
  return offsetMs(timeZone, late) === after ? late : early;
}

function dateKey(dayNumber) {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

function isWorkingDay(schedule, dayNumber) {
  const key = dateKey(dayNumber);
  const year = key.slice(0, 4);
  const weekday = (((dayNumber + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  const shifts = schedule.weekly[String(weekday)] || [];
  if (schedule.years.indexOf(Number(year)) < 0 || shifts.length === 0) {
    return false;
  }
  if (Object.prototype.hasOwnProperty.call(schedule.closed, key)) {
    return false;
  }
  const promise = schedule.promise;
  if (promise.working_weekend_days.indexOf(key) >= 0) {
    return true;
  }
  return (promise.weekend[year] || []).indexOf(weekday) < 0;
}

function closeOf(schedule, dayNumber) {
  const weekday = (((dayNumber + 3) % 7) + 7) % 7;
  const end = Math.max.apply(null, schedule.weekly[String(weekday)].map(function (pair) { return pair[1]; }));
  return instantOfWall(schedule.timezone, dayNumber * MS_PER_DAY + end * 60000);
}

function promiseDeadline(schedule, contactMs, fallbackHours) {
  const promise = schedule && schedule.promise;
  const hours = promise && typeof promise.within_hours === 'number' ? promise.within_hours : fallbackHours;
  const within = contactMs + hours * 3600 * 1000;
  if (!promise || !promise.or_next_working_day) {
    return within;
  }
  const today = Math.floor(wallMs(schedule.timezone, contactMs) / MS_PER_DAY);
  for (let day = today + 1; day <= today + SEARCH_DAYS; day += 1) {
    if (isWorkingDay(schedule, day)) {
      return Math.max(within, closeOf(schedule, day));
    }
  }
  return within;
}

function readSchedule() {
  try {
    const asset = Runtime.getAssets()['/schedule.json'];
    const schedule = JSON.parse(fs.readFileSync(asset.path, 'utf8'));
    formatterFor(schedule.timezone); // throws RangeError for an unknown timezone
    if (!schedule || schedule.version !== 1 || !schedule.weekly || !schedule.closed || !Array.isArray(schedule.years)) {
      return null;
    }
    const promise = schedule.promise;
    const wellFormed = promise && typeof promise.weekend === 'object' && Array.isArray(promise.working_weekend_days);
    return wellFormed ? schedule : null;
  } catch (error) {
    return null;
  }
}

function addTranscript(context, event, callback) {
  var sid = String(event.CallSid || '');
  if (!/^CA[0-9a-f]{32}$/.test(sid)) {
    return callback(null, { updated: 0 });
  }
  var tasks = context.getTwilioClient().taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks;
  tasks.list({ evaluateTaskAttributes: "call_sid == '" + sid + "'", limit: 5 })
    .then(function (found) {
      return Promise.all(found.map(function (task) {
        var attributes = JSON.parse(task.attributes);
        attributes.transcript = String(event.TranscriptionText || '');
        attributes.transcription_status = String(event.TranscriptionStatus || '');
        return tasks(task.sid).update({ attributes: JSON.stringify(attributes) });
      }));
    })
    .then(function (updated) { callback(null, { updated: updated.length }); })
    .catch(function (err) { callback(err); });
}

// The message templates an agent answers with once WhatsApp's 24-hour window has closed: template_<id> = HX….
function templates(event) {
  var out = {};
  Object.keys(event).forEach(function (key) {
    var id = /^template_([a-z0-9_]+)$/.exec(key);
    if (id && /^HX[0-9a-f]{32}$/.test(String(event[key]))) {
      out[id[1]] = String(event[key]);
    }
  });
  return out;
}

exports.handler = function (context, event, callback) {
  var required = ['WORKSPACE_SID', 'WORKFLOW_SID', 'CALLBACK_QUEUE'];
  for (var i = 0; i < required.length; i++) {
    if (!context[required[i]]) {
      return callback(new Error('missing environment variable ' + required[i]));
    }
  }
  if (event.type === 'transcript') {
    return addTranscript(context, event, callback);
  }
  var hours = Number(context.PROMISE_HOURS || '24');
  var at = event.at === undefined || event.at === null || event.at === '' ? null : String(event.at);
  if (at !== null && !INSTANT.test(at)) {
    return callback(new Error('"at" must be an ISO 8601 instant with Z or an offset'));
  }
  var now = at === null ? new Date() : new Date(Date.parse(at));
  var attributes = {
    type: 'callback',
    reason: event.type === 'voicemail' ? 'voicemail' : 'after_hours',
    channel: String(event.channel || ''),
    language: String(event.language || ''),
    from: String(event.from || ''),
    name: String(event.from || ''),
    queue: context.CALLBACK_QUEUE,
    recording_url: String(event.recording_url || ''),
    call_sid: String(event.call_sid || ''),
    transcript: String(event.transcript || ''),
    received_at: now.toISOString(),
    answer_by: new Date(promiseDeadline(readSchedule(), now.getTime(), hours)).toISOString(),
    templates: templates(event)
  };
  context.getTwilioClient().taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks
    .create({ workflowSid: context.WORKFLOW_SID, taskChannel: 'default', attributes: JSON.stringify(attributes) })
    .then(function (task) { callback(null, { task_sid: task.sid, answer_by: attributes.answer_by }); })
    .catch(function (err) { callback(err); });
};
