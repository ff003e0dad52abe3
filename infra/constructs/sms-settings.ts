import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The fixed id AwsCustomResource gives its singleton provider function (aws-cdk-lib's own constant). */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface SmsSettingsProps {
  /** USD a month SNS may spend on SMS; unset leaves the account's limit as it is (it starts at $1). */
  readonly monthlySpendLimitUsd?: number | undefined;
}

/**
 * The account's SMS settings SNS has no CloudFormation resource for: texts are Transactional (pages and
 * updates must not be dropped as promotional) and, when given, the monthly spend limit.
 */
export class SmsSettings extends Construct {
  constructor(scope: Construct, id: string, props: SmsSettingsProps) {
    super(scope, id);
    const attributes: Record<string, string> = { DefaultSMSType: 'Transactional' };
    if (props.monthlySpendLimitUsd !== undefined)
      attributes.MonthlySpendLimit = String(props.monthlySpendLimitUsd);
    const call = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: PhysicalResourceId.of('incident-flow-sms-settings'),
    };
    const resource = new AwsCustomResource(this, 'Apply', {
      onCreate: call,
      onUpdate: call,
      // SetSMSAttributes acts on the account, which has no ARN to name.
      policy: { statements: [new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] })] },
      installLatestAwsSdk: false,
    });
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:SetSMSAttributes sets account-wide SMS settings and has no resource to scope to.',
    });
    // CDK's one provider function for every AwsCustomResource of the stack, at the stack's root.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      const isCdksProvider =
        "CDK's own provider of AwsCustomResource, run by CloudFormation only while deploying; its settings are CDK's.";
      Validations.of(provider).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: isCdksProvider,
        },
        { id: 'Serverless-LambdaDefaultMemorySize', reason: isCdksProvider },
        { id: 'Serverless-LambdaDLQ', reason: `${isCdksProvider} CloudFormation reports a failure itself.` },
        { id: 'Serverless-LambdaTracing', reason: isCdksProvider },
      );
    }
  }
}
