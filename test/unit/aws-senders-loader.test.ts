import { expect, it } from 'vitest';
import { AWS_SENDERS_MODULE, loadAwsSenders } from '#shared/wiring/aws-senders-loader.ts';

it('loads the AWS senders from their TypeScript source when run from it', async () => {
  const senders = await loadAwsSenders();

  expect(AWS_SENDERS_MODULE).toBe('./aws-senders.ts');
  expect(typeof senders.createAwsNotifications).toBe('function');
  expect(typeof senders.createAwsPostmortemRequests).toBe('function');
  expect(typeof senders.createParameterDirectory).toBe('function');
});
