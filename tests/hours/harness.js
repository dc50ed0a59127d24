/*
 * Runs the real templates/functions/hours.js for many instants in one Node process.
 *
 * stdin:  {"function": "<path to hours.js>", "schedule_path": "<file or null>", "context": {...},
 *          "instants": ["2026-01-01T00:00:00Z", ...]}
 * stdout: [{"ok": {open, reason, local_time}} | {"error": "<message>"}, ...] in the order of "instants".
 *
 * Only Runtime.getAssets is faked, the way Twilio Functions provide it for a private asset.
 */
'use strict';

const fs = require('fs');

const request = JSON.parse(fs.readFileSync(0, 'utf8'));

global.Runtime = {
  getAssets: function () {
    if (request.schedule_path === null) {
      return {};
    }
    return { '/schedule.json': { path: request.schedule_path, open: () => fs.readFileSync(request.schedule_path, 'utf8') } };
  },
};

const fn = require(request.function);

function call(at) {
  return new Promise((resolve) => {
    const event = at === null ? {} : { at: at };
    fn.handler(request.context, event, (error, result) => {
      if (error) {
        resolve({ error: String(error && error.message ? error.message : error) });
      } else {
        resolve({ ok: result });
      }
    });
  });
}

async function main() {
  const results = [];
  for (const at of request.instants) {
    results.push(await call(at));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
