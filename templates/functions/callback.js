// Creates the Flex task that keeps the hub's promise to answer: a voicemail, or a message out of hours.
// Configuration comes from the Serverless environment's variables, set by `deh apply`:
//   WORKSPACE_SID, WORKFLOW_SID, CALLBACK_QUEUE, PROMISE_HOURS.
exports.handler = function (context, event, callback) {
  var required = ['WORKSPACE_SID', 'WORKFLOW_SID', 'CALLBACK_QUEUE'];
  for (var i = 0; i < required.length; i++) {
    if (!context[required[i]]) {
      return callback(new Error('missing environment variable ' + required[i]));
    }
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
    transcript: String(event.transcript || ''),
    received_at: now.toISOString(),
    answer_by: new Date(now.getTime() + hours * 3600 * 1000).toISOString()
  };
  context.getTwilioClient().taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks
    .create({ workflowSid: context.WORKFLOW_SID, taskChannel: 'default', attributes: JSON.stringify(attributes) })
    .then(function (task) { callback(null, { task_sid: task.sid, answer_by: attributes.answer_by }); })
    .catch(function (err) { callback(err); });
};
