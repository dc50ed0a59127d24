// Creates the Flex task that keeps the hub's promise to answer: a voicemail, or a message out of hours.
// A voicemail's transcript is no output of the recording: Twilio posts it here later (type=transcript, with
// CallSid and TranscriptionText), and it is added to the task of that call.
// Configuration comes from the Serverless environment's variables, set by `deh apply`:
//   WORKSPACE_SID, WORKFLOW_SID, CALLBACK_QUEUE, PROMISE_HOURS.
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
  var now = new Date();
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
    answer_by: new Date(now.getTime() + hours * 3600 * 1000).toISOString(),
    templates: templates(event)
  };
  context.getTwilioClient().taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks
    .create({ workflowSid: context.WORKFLOW_SID, taskChannel: 'default', attributes: JSON.stringify(attributes) })
    .then(function (task) { callback(null, { task_sid: task.sid, answer_by: attributes.answer_by }); })
    .catch(function (err) { callback(err); });
};
