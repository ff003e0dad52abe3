import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { STATUS_PAGE_MAX_AGE_SECONDS, statusPageCsp } from '#shared/status-page-headers.ts';

export interface StatusPageHostingProps {
  /** A custom domain with its ACM certificate (us-east-1); absent, the page is at the CloudFront domain. */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string } | undefined;
  /** Where the page's form may post (the subscribe endpoint's origin); absent, no form may post anywhere. */
  readonly formAction?: string;
}

/**
 * Where the status page is served from: a private bucket that only CloudFront reads (origin access
 * control), HTTPS only, the page's security headers, and a short cache so a change shows within a
 * minute without invalidations.
 */
export class StatusPageHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: StatusPageHostingProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Rebuilt from the incidents at any time: nothing in it is lost with it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Incident Flow status page: CSP without unsafe-inline, HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: statusPageCsp(props.formAction ?? "'none'"),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const cache = new CachePolicy(this, 'ShortCache', {
      comment: 'Status page files change within a minute',
      defaultTtl: Duration.seconds(STATUS_PAGE_MAX_AGE_SECONDS),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(60),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const domain = props.customDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Incident Flow status page',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cache,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // S3 answers 403 for a key it does not hold (CloudFront may not list the bucket): a withdrawn or
      // mistyped incident page gets the status page itself, as a 404.
      errorResponses: [
        {
          httpStatus: 403,
          responseHttpStatus: 404,
          responsePagePath: '/index.html',
          ttl: Duration.seconds(STATUS_PAGE_MAX_AGE_SECONDS),
        },
      ],
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // Only with a certificate of ours: CloudFront's default one has a fixed policy (CDK warns otherwise).
      ...(domain
        ? {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
          }
        : {}),
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'A public, regenerated page: CloudFront serves every read, and the bucket holds nothing to audit.',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A status page must be readable from every country its customers are in.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'Static, public, GET-only files behind a cache: no input a WAF rule would inspect.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'No personal data is served; access logs would cost more than the page they describe.',
      },
      ...(domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without a custom domain CloudFront serves its default certificate, whose TLS floor it sets itself.',
            },
          ]),
    );
  }
}
