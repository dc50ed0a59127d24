/*
 * Opening hours of a Digital Engagement Hub: is the helpdesk open at this instant?
 *
 * Reads the compiled schedule from the private asset /schedule.json and answers
 * {open, reason, local_time}. The rules are those of the Python package deh_deploy.hours
 * (a shift belongs to the local date it starts on; a closed date cancels the shifts that
 * start on it; instants outside the compiled years are closed). Any error (missing or
 * corrupt schedule, unknown timezone, bad "at") is passed to callback(error), so the Studio
 * run-function widget takes its "fail" branch and the flow fails closed.
 *
 * Environment: CLOSED_NOW=true closes the hub at every instant.
 * Parameters: at (optional) - an ISO 8601 instant with "Z" or an offset, for testing; default now.
 * Plain ES2019 with no dependencies.
 */
'use strict';

const fs = require('fs');

const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86400000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const formatters = {};
let cached = null;

function fail(message) {
  return new Error('hours: ' + message);
}

function formatterFor(timeZone) {
  if (!Object.prototype.hasOwnProperty.call(formatters, timeZone)) {
    formatters[timeZone] = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }
  return formatters[timeZone];
}

function isShift(pair) {
  return (
    Array.isArray(pair) &&
    pair.length === 2 &&
    Number.isInteger(pair[0]) &&
    Number.isInteger(pair[1]) &&
    pair[0] >= 0 &&
    pair[0] < MINUTES_PER_DAY &&
    pair[1] > pair[0] &&
    pair[1] <= pair[0] + MINUTES_PER_DAY
  );
}

function prepare(schedule) {
  if (!schedule || typeof schedule !== 'object' || schedule.version !== 1) {
    throw fail('schedule.json is not a version 1 schedule');
  }
  if (typeof schedule.timezone !== 'string' || !schedule.weekly || typeof schedule.weekly !== 'object') {
    throw fail('schedule.json lacks timezone or weekly');
  }
  if (!schedule.closed || typeof schedule.closed !== 'object' || !Array.isArray(schedule.years)) {
    throw fail('schedule.json lacks closed or years');
  }
  const weekly = [];
  const overnight = [];
  for (let day = 0; day < 7; day += 1) {
    const shifts = schedule.weekly[String(day)] || [];
    if (!Array.isArray(shifts) || !shifts.every(isShift)) {
      throw fail('schedule.json has a bad shift on weekday ' + day);
    }
    weekly.push(shifts);
    overnight.push(shifts.filter((pair) => pair[1] > MINUTES_PER_DAY).map((pair) => pair[1] - MINUTES_PER_DAY));
  }
  formatterFor(schedule.timezone); // throws RangeError for an unknown timezone
  return {
    timeZone: schedule.timezone,
    weekly: weekly,
    overnight: overnight,
    closed: schedule.closed,
    years: schedule.years,
    closedNow: schedule.closed_now === true,
  };
}

function loadSchedule() {
  const assets = Runtime.getAssets();
  const asset = assets['/schedule.json'];
  if (!asset || !asset.path) {
    throw fail('the private asset /schedule.json is missing');
  }
  if (cached && cached.path === asset.path) {
    return cached.schedule;
  }
  const schedule = prepare(JSON.parse(fs.readFileSync(asset.path, 'utf8')));
  cached = { path: asset.path, schedule: schedule };
  return schedule;
}

function pad(value, width) {
  let text = String(Math.abs(value));
  while (text.length < width) {
    text = '0' + text;
  }
  return text;
}

function dateKey(dayNumber) {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

function wallClock(timeZone, epochMs) {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts = {};
  formatterFor(timeZone)
    .formatToParts(new Date(whole))
    .forEach((part) => {
      parts[part.type] = part.value;
    });
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, month - 1, day);
  asUtc.setUTCHours(hour, minute, second, 0);
  const offset = Math.round((asUtc.getTime() - whole) / 60000);
  const sign = offset < 0 ? '-' : '+';
  const localTime =
    pad(year, 4) + '-' + pad(month, 2) + '-' + pad(day, 2) + 'T' + pad(hour, 2) + ':' + pad(minute, 2) + ':' +
    pad(second, 2) + sign + pad(Math.floor(Math.abs(offset) / 60), 2) + ':' + pad(Math.abs(offset) % 60, 2);
  return {
    year: year,
    dayNumber: Math.floor((asUtc.getTime() - (hour * 3600 + minute * 60 + second) * 1000) / MS_PER_DAY),
    minute: hour * 60 + minute,
    localTime: localTime,
  };
}

function closedReason(schedule, dayNumber) {
  const key = dateKey(dayNumber);
  return Object.prototype.hasOwnProperty.call(schedule.closed, key) ? String(schedule.closed[key]) : null;
}

function evaluate(schedule, epochMs, closedNow) {
  const local = wallClock(schedule.timeZone, epochMs);
  const result = (open, reason) => ({ open: open, reason: reason, local_time: local.localTime });
  if (closedNow || schedule.closedNow) {
    return result(false, 'closed_now');
  }
  if (schedule.years.indexOf(local.year) < 0) {
    return result(false, 'outside_schedule_years');
  }
  const today = local.dayNumber;
  const weekday = (((today + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  const todayClosed = closedReason(schedule, today);
  const inToday = schedule.weekly[weekday].some((pair) => pair[0] <= local.minute && local.minute < pair[1]);
  if (inToday && todayClosed === null) {
    return result(true, 'open');
  }
  let yesterdayClosed = null;
  const inYesterday = schedule.overnight[(weekday + 6) % 7].some((end) => local.minute < end);
  if (inYesterday && schedule.years.indexOf(Number(dateKey(today - 1).slice(0, 4))) >= 0) {
    yesterdayClosed = closedReason(schedule, today - 1);
    if (yesterdayClosed === null) {
      return result(true, 'open');
    }
  }
  if (inToday) {
    return result(false, todayClosed);
  }
  if (yesterdayClosed !== null) {
    return result(false, yesterdayClosed);
  }
  return result(false, todayClosed === null ? 'outside_hours' : todayClosed);
}

function instantOf(at) {
  if (at === undefined || at === null || at === '') {
    return Date.now();
  }
  const text = String(at);
  const epochMs = INSTANT.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(epochMs)) {
    throw fail('"at" must be an ISO 8601 instant with Z or an offset, got ' + JSON.stringify(text));
  }
  return epochMs;
}

exports.handler = function (context, event, callback) {
  let result;
  try {
    const schedule = loadSchedule();
    const epochMs = instantOf(event && event.at);
    result = evaluate(schedule, epochMs, Boolean(context && context.CLOSED_NOW === 'true'));
  } catch (error) {
    callback(error instanceof Error ? error : fail(String(error)));
    return;
  }
  callback(null, result);
};
