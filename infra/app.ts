import { App } from 'aws-cdk-lib';
import { CONTEXT_KEY, settingsForSynth } from './app-settings.ts';
import { DEPLOYMENT_CONTEXT_KEY, deploymentOptionsForSynth } from './deployment-options.ts';
import { IncidentFlowStack } from './incident-flow-stack.ts';

const app = new App();
const settings = settingsForSynth(app.node.tryGetContext(CONTEXT_KEY), process.env);
const deployment = deploymentOptionsForSynth(app.node.tryGetContext(DEPLOYMENT_CONTEXT_KEY));
new IncidentFlowStack(app, 'IncidentFlow', {
  description: 'Incident Flow: Jira incidents timed, announced and followed up',
  settings,
  deployment,
});
