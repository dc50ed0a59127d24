/*
 * Runs the real templates/functions/callback.js for many contact instants in one Node process.
 *
 * stdin:  {"function": "<path to callback.js>", "schedule_path": "<file or null>", "context": {...},
 *          "events": [{"type": "voicemail", "at": "2026-12-04T17:30:00Z", ...}, ...]}
 * stdout: [{"ok": {task_sid, answer_by}, "attributes": {...}} | {"error": "<message>"}, ...] in order.
 *
 * Only what Twilio Functions provide is stood in for: Runtime.getAssets (the private asset) and
 * context.getTwilioClient(), whose tasks.create records the attributes it is given.
 */
'use strict';

const fs = require('fs');

const request = JSON.parse(fs.readFileSync(0, 'utf8'));

global.Runtime = {
  getAssets: function () {
    return request.schedule_path === null ? {} : { '/schedule.json': { path: request.schedule_path } };
  },
};

const fn = require(request.function);
let created = null;
const client = {
  taskrouter: {
    v1: {
      workspaces: function () {
        return {
          tasks: {
            create: function (params) {
              created = JSON.parse(params.attributes);
              return Promise.resolve({ sid: 'WT' + '0'.repeat(32) });
            },
          },
        };
      },
    },
  },
};
const context = Object.assign({ getTwilioClient: function () { return client; } }, request.context);

function call(event) {
  return new Promise((resolve) => {
    created = null;
    fn.handler(context, event, (error, result) => {
      if (error) {
        resolve({ error: String(error && error.message ? error.message : error) });
      } else {
        resolve({ ok: result, attributes: created });
      }
    });
  });
}

async function main() {
  const results = [];
  for (const event of request.events) {
    results.push(await call(event));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
