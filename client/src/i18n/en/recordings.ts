/**
 * Recordings: the launcher's Recordings tab (the list, the player, download, publish, delete). Browser
 * tests select by some of these English strings: change them together with test/e2e/.
 */
export const recordings = {
  'views.recordings': 'Recordings',
  'views.recordings.loading': 'Loading recordings…',
  'views.recordings.loadFailed': 'The recordings view could not be loaded. Check your connection and try again.',

  'recordings.heading': 'Recordings',
  'recordings.caption': 'Recordings of this class',
  'recordings.loading': 'Loading…',
  'recordings.failed': 'Recordings could not be loaded: {reason}',
  'recordings.empty.teacher': 'No recordings yet. Classes recorded here appear in this list.',
  'recordings.empty.published': 'No recordings have been published yet.',
  'recordings.empty.course': 'No recordings yet.',

  'recordings.who.instructors': 'Only teachers can watch this class’s recordings.',
  'recordings.who.course': 'Everyone in the course can watch this class’s recordings once they are ready.',
  'recordings.who.published': 'Students can watch a recording once a teacher publishes it.',
  'recordings.who.published.student': 'These are the recordings your teacher has published.',
  'recordings.kept.one': 'Recordings are deleted {count} day after they were made.',
  'recordings.kept.other': 'Recordings are deleted {count} days after they were made.',

  'recordings.col.date': 'Date',
  'recordings.col.duration': 'Duration',
  'recordings.col.size': 'Size',
  'recordings.col.status': 'Status',
  'recordings.col.students': 'Students',
  'recordings.open': 'Watch the recording of {date}',

  'recordings.status.starting': 'Starting',
  'recordings.status.recording': 'Recording',
  'recordings.status.ready': 'Ready',
  'recordings.status.failed': 'Failed',
  'recordings.status.deleted': 'Deleted',
  'recordings.published': 'Published',
  'recordings.notPublished': 'Not published',

  'recordings.player.title': 'Recording of {date}',
  'recordings.player.audioOnly': 'Sound only: this class had no cameras.',
  'recordings.player.loading': 'Getting the recording…',
  'recordings.player.failed': 'The recording could not be played: {reason}',
  'recordings.player.close': 'Close the player',
  'recordings.download': 'Download',
  'recordings.download.of': 'Download the recording of {date}',
  'recordings.publish': 'Students can watch this recording',
  'recordings.publish.done': 'Published: students can now watch the recording of {date}.',
  'recordings.unpublish.done': 'Taken back: students can no longer watch the recording of {date}.',
  'recordings.delete': 'Delete…',
  'recordings.delete.of': 'Delete the recording of {date}',
  'recordings.delete.title': 'Delete this recording?',
  'recordings.delete.body': 'The recording of {date} is deleted for everyone, file and all. This cannot be undone.',
  'recordings.delete.cancel': 'Cancel',
  'recordings.delete.confirm': 'Delete recording',
  'recordings.delete.done': 'The recording of {date} was deleted.',
  'recordings.action.failed': 'That did not work: {reason}',

  'deepLink.recordings': 'Recordings',
  'deepLink.recordingViewers': 'Who can watch this class’s recordings',
  'deepLink.recordingViewers.published': 'Teachers, and students once a teacher publishes a recording',
  'deepLink.recordingViewers.course': 'Everyone in the course',
  'deepLink.recordingViewers.instructors': 'Only teachers',
  'deepLink.recordingRetention': 'Delete recordings after (days)',
  'deepLink.recordingStreamUrl': 'Stream target for Go live (optional)',
  'deepLink.recordingStreamUrl.hint':
    'The streaming service’s address with the stream key at its end. Go live streams there unless a teacher gives another; it is kept secret and shown with the key hidden.',
  'deepLink.recordingStreamUrl.invalid':
    'Enter an address that starts with rtmp:// or rtmps:// and ends with the stream key.',
  'deepLink.recordingRetention.hint':
    'From 1 to {max} days. Leave it empty to keep them {max} days, as long as this server keeps recordings.',
};
