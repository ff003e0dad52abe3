import { DEMO_DIRECTORY } from '#shared/domain/stakeholder-directory.ts';
import { createFanOutNotifier } from '../fakes/fan-out-notifier.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { notifierContract } from './notifier-contract.ts';

notifierContract('the recording fake', async () => createRecordingNotifier());
notifierContract('the fan-out fake', async () => createFanOutNotifier(DEMO_DIRECTORY));
