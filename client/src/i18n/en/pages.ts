/**
 * Launcher pages (loading, pre-join, deep linking, refusals, errors). Browser tests select by some of these
 * English strings ('Join the class', 'Title (required)', ...): change them together with test/e2e/.
 */
export const pages = {
  // Launcher: loading and a launch that could not be opened.
  'launcher.loadingTitle': 'Opening',
  'launcher.loading': 'Opening the live class…',
  'launcher.failedTitle': 'Could not open',
  'launcher.failedHeading': 'The live class could not be opened',
  /** {code} is shown as code. */
  'launcher.failedHint':
    'Error code: {code}. Try opening the activity again from your course; if it keeps happening, tell your course administrator this code.',

  'notSetUp.title': 'Not set up yet',
  'notSetUp.heading': 'Your teacher has not set this class up yet',
  'notSetUp.body':
    'This page opens the class by itself as soon as your teacher has opened it once. You can leave it open.',

  'sessionEnded.title': 'Session ended',
  'sessionEnded.heading': 'Your session has ended',
  'sessionEnded.body': 'Open the activity again from your course.',
  'sessionEnded.revokedHeading': 'This live class is no longer available',
  'sessionEnded.revokedBody':
    "The tool's administrator removed or turned off the connection you opened this class through. Ask your LMS admin, or the site that sent you here.",

  // The page at / (no launch).
  'placeholder.intro': 'The live-class tool is running. Open it from your course to join a class.',
  'placeholder.services': 'Services',
  'placeholder.checking': 'Checking services…',
  'placeholder.unreachable': 'Could not reach the tool.',
  'placeholder.service': '{name}: {status}',
  'placeholder.ok': 'OK',
  'placeholder.unavailable': 'unavailable',

  'branding.logoAlt': '{platform} logo',

  // Pre-join: the class and who you are.
  'prejoin.when': 'When',
  'prejoin.noFixedTime': 'No fixed time',
  'prejoin.format': 'Format',
  'prejoin.audioOnly': 'Audio only',
  'prejoin.signedInAs': 'Signed in as',
  'prejoin.unnamedUser': 'Unnamed user',
  /** {role} is one of prejoin.role.*, shown in bold. */
  'prejoin.joiningAs': 'You are joining as {role}.',
  'prejoin.role.instructor': 'an instructor',
  'prejoin.role.participant': 'a participant',
  'prejoin.role.observer': 'an observer',
  'prejoin.join': 'Join the class',
  'prejoin.joining': 'Joining…',
  'prejoin.loadFailed': 'The class could not be loaded. Try again.',
  // In place of the Join button while the page asks again by itself.
  'prejoin.waitingForTeacher': 'Waiting for your teacher',
  /** {seconds}: whole seconds until the next attempt. */
  'prejoin.retryingIn': 'We keep trying. Next try in {seconds} s.',
  'prejoin.retryingNow': 'Trying again now…',
  'prejoin.retryingLater': 'This page lets you in by itself when the class opens.',
  'prejoin.handedOff':
    'The class is open in a new window. You can close this one, or join here without camera and microphone.',

  // Pre-join: camera and microphone.
  'media.heading': 'Camera and microphone',
  'media.starting': 'Starting your camera…',
  'media.cameraUnavailable': 'Camera unavailable',
  'media.noPreview': 'No camera preview',
  'media.cameraOff': 'Camera off',
  'media.useNewWindow': 'Open the class in a new window to use them, or join here to listen and watch.',
  'media.joinWithout': 'You can still join, with them off, to listen and watch.',
  'media.openInNewWindow': 'Open in new window',
  'media.whenIJoin': 'When I join',
  'media.microphoneOn': 'Turn my microphone on',
  'media.cameraOn': 'Turn my camera on',
  'media.preview': 'Your camera preview',
  'media.camera': 'Camera',
  'media.microphone': 'Microphone',
  /** A device without a name: "Camera 2". */
  'media.numbered': '{device} {number}',
  'media.level': 'Microphone level',

  // Why a device could not be used: one sentence per problem and device (camera, microphone or both).
  'media.problem.policy.camera': 'This course page does not let the class use your camera.',
  'media.problem.policy.microphone': 'This course page does not let the class use your microphone.',
  'media.problem.policy.both': 'This course page does not let the class use your camera and microphone.',
  'media.problem.blocked.camera': 'Your browser blocked the camera.',
  'media.problem.blocked.microphone': 'Your browser blocked the microphone.',
  'media.problem.blocked.both': 'Your browser blocked the camera and microphone.',
  'media.problem.not-found.camera': 'No camera was found.',
  'media.problem.not-found.microphone': 'No microphone was found.',
  'media.problem.not-found.both': 'No camera or microphone was found.',
  'media.problem.in-use.camera': 'Your camera is in use by another application, or could not be started.',
  'media.problem.in-use.microphone': 'Your microphone is in use by another application, or could not be started.',
  'media.problem.in-use.both': 'Your camera and microphone are in use by another application, or could not be started.',
  'media.problem.unsupported.camera': 'This browser cannot use a camera on this page.',
  'media.problem.unsupported.microphone': 'This browser cannot use a microphone on this page.',
  'media.problem.unsupported.both': 'This browser cannot use a camera and microphone on this page.',
  'media.problem.failed.camera': 'Your camera could not be started.',
  'media.problem.failed.microphone': 'Your microphone could not be started.',
  'media.problem.failed.both': 'Your camera and microphone could not be started.',

  // A refused join, one sentence per error code.
  'refusal.ended': 'This class has ended. It opens again when your teacher restarts it.',
  'refusal.notOpen': 'This class is not open yet.',
  'refusal.notOpenUntil': 'This class is not open yet. You can join from {when}.',
  'refusal.removed': 'Your teacher removed you from this class for the rest of the session.',
  'refusal.locked': 'Your teacher has locked this class: nobody else can join right now.',
  'refusal.waitingForInstructor':
    'The class opens when your teacher joins. Stay on this page: it lets you in by itself as soon as they do.',
  'refusal.denied': 'Your teacher declined your request to join this class.',
  'refusal.full': 'This class is full. This page lets you in by itself when a place frees up.',
  'refusal.fullInLine':
    'This class is full. You are number {position} in line: this page lets you in by itself when a place frees up. Keep it open to keep your place.',
  // Faults of the tool's servers, never of the user: worded without product names.
  'refusal.serverDown': 'The class server is not answering; we keep trying.',
  'refusal.unreachable': 'The class server cannot be reached from here. Check your connection; we keep trying.',

  // The waiting room.
  'waiting.title': 'Waiting room',
  'waiting.declinedTitle': 'Request declined',
  'waiting.declinedHeading': 'Your request was declined',
  'waiting.told': 'Your teacher has been told you are here. You will join the class as soon as they let you in.',
  'waiting.failed': 'The waiting room could not be reached. Go back and try again.',
  'waiting.leave': 'Leave the waiting room',

  // What the room turns into when the connection is over.
  'end.ended.title': 'The class has ended',
  'end.ended.body': 'Your teacher ended the class.',
  // The instructor who ended it, and another instructor in the same class.
  'end.ended.byYouTitle': 'You ended the class',
  'end.ended.byColleague': 'Another teacher ended the class for everyone.',
  'end.summary.loading': 'Counting who attended…',
  'end.summary.underMinute': 'It lasted less than a minute.',
  'end.summary.minutes.one': 'It lasted {count} minute.',
  'end.summary.minutes.other': 'It lasted {count} minutes.',
  /** {learners}: the course's students on the roster. */
  'end.summary.attendedOf.one': '{count} of {learners} students attended.',
  'end.summary.attendedOf.other': '{count} of {learners} students attended.',
  'end.summary.attended.one': '{count} student attended.',
  'end.summary.attended.other': '{count} students attended.',
  'end.summary.unavailable': 'How long it lasted and who attended are in the Attendance tab.',
  'end.removed.title': 'You were removed',
  'end.removed.body': 'Your teacher removed you from this class for the rest of the session.',
  'end.duplicate.title': 'You joined from another window',
  'end.duplicate.body': 'You are in the class in another window or device, so this one was closed.',
  'end.left.title': 'You left the class',
  'end.left.body': 'You can join again while the class is on.',
  'end.lost.title': 'The connection was lost',
  'end.lost.body': 'The class could not be reached. Check your connection and join again.',
  'end.locked.title': 'The class was locked',
  'end.locked.body':
    'Your connection dropped and the teacher locked the class meanwhile, so you could not get back in. Ask your teacher to unlock it, then join again.',
  'end.joinAgain': 'Join again',

  // A teacher pressing Leave (leave-dialog.tsx).
  'leave.title': 'Leave the class?',
  'leave.body': 'The class goes on without you, and you can join again. Or end it now for everyone.',
  'leave.cancel': 'Stay',
  'leave.leave': 'Leave',
  'leave.endForEveryone': 'End for everyone',
  'leave.ending': 'Ending…',

  // Deep linking: "Add a live class".
  'deepLink.title': 'Add a live class',
  'deepLink.intro': 'The class will appear in {course} on {platform}.',
  'deepLink.yourCourse': 'your course',
  'deepLink.class': 'Class',
  'deepLink.titleLabel': 'Title (required)',
  'deepLink.description': 'Description',
  'deepLink.schedule': 'Schedule',
  /** {timeZone} is an IANA name such as Europe/Paris, shown in bold. */
  'deepLink.scheduleHint':
    'Times are in your timezone, {timeZone}. Leave the date and time empty for a class without a schedule.',
  'deepLink.startDate': 'Start date',
  'deepLink.startTime': 'Start time',
  /** {schedule}: "Tuesday, October 14, 2025, 2:00 – 3:00 PM CEST" in the user's locale. */
  'deepLink.startsAt': 'Starts {schedule}',
  'deepLink.duration': 'Duration in minutes',
  'deepLink.room': 'Room',
  'deepLink.audioOnly': 'Audio only (no cameras)',
  'deepLink.publishers': 'Who may speak and share video',
  'deepLink.publishers.everyone': 'Everyone',
  'deepLink.publishers.instructors': 'Instructors only (webinar: participants listen and watch)',
  'deepLink.waitingRoom': 'Waiting room (an instructor admits each participant)',
  'deepLink.joinBeforeInstructor': 'Participants may join before the instructor',
  'deepLink.maxParticipants': 'Maximum participants',
  'deepLink.grade': 'Attendance grade',
  'deepLink.gradingEnabled': 'Send an attendance grade to the gradebook',
  'deepLink.maxPoints': 'Maximum points',
  'deepLink.policy': 'How attendance becomes points',
  'deepLink.policy.attended': 'Full points for attending',
  'deepLink.policy.proportional': 'Points in proportion to time attended',
  'deepLink.policy.threshold': 'Full points above a share of the class',
  'deepLink.threshold': 'Share of the class to attend, in percent',
  'deepLink.absent': 'A student who did not attend',
  'deepLink.absent.zero': 'gets 0 points',
  'deepLink.absent.notGraded': 'gets no grade',
  'deepLink.scope': 'What the grade covers',
  'deepLink.scope.perSession': 'The latest class session',
  'deepLink.scope.cumulative': "All of the activity's sessions (average)",
  'deepLink.bestOf': 'Count only the best sessions (how many; empty for all)',
  'deepLink.autoPost': 'Post grades by themselves when a class session ends',
  'deepLink.submit': 'Add to course',
  'deepLink.saving': 'Saving…',
  'deepLink.savingStatus': 'Saving the activity…',
  'deepLink.saved': 'Activity saved. Returning to your course…',
  'deepLink.invalid.one': 'The activity was not saved: {count} field needs attention.',
  'deepLink.invalid.other': 'The activity was not saved: {count} fields need attention.',
  /** {reason} is a sentence from the server or common.somethingWrong. */
  'deepLink.notSaved': 'The activity was not saved. {reason}',
  /** {link} is a button with deepLink.returnButton. */
  'deepLink.returnManually': 'If your course does not open by itself, {link}.',
  'deepLink.returnButton': 'return to your course',

  // The deep linking form's own checks, next to each field.
  'form.enterTitle': 'Enter a title.',
  'form.tooLong': 'Use at most {max} characters.',
  'form.dateMissing': 'Enter a date, or clear the time for no schedule.',
  'form.timeMissing': 'Enter a start time, or clear the date for no schedule.',
  'form.invalidDateTime': 'Enter a valid date and time.',
  'form.wholeNumber': 'Enter a whole number.',
  'form.range': 'Enter a number from {min} to {max}.',
  'form.maxPoints': 'Enter a number of points greater than 0 and at most {max}.',
};
