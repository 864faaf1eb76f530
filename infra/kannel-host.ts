/**
 * The optional always-on Kannel host (`npx cdk deploy -c kannelHost=true -c kannelDomain=sms.example.org`):
 * operators bind SMPP only from a fixed, whitelisted IP, and Lambda can neither hold an SMPP session nor have a
 * fixed address. A small arm64 EC2 instance with an Elastic IP installs Debian's kannel at boot, renders
 * infra/kannel/kannel.conf from Secrets Manager, serves sendsms to the outbox over TLS (nginx, Let's Encrypt for
 * `kannelDomain`), ships its logs to CloudWatch and reports every minute how many binds are down (docs/kannel.md).
 * The functions stay as they are: Kannel calls the API's /sms/kannel and /ussd/kannel routes like any provider.
 */
import { readFileSync } from 'node:fs';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric, Stats, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import {
  BlockDeviceVolume,
  CfnEIP,
  CfnEIPAssociation,
  EbsDeviceVolumeType,
  FlowLogDestination,
  Instance,
  InstanceClass,
  InstanceSize,
  InstanceType,
  MachineImage,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  UserData,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { OperatorAlarms } from './constructs/alarms';

/** The CloudWatch metric the host puts every minute: how many of its SMPP binds are not online. */
export const KANNEL_BINDS_METRIC = { namespace: 'SafeJob/Kannel', metricName: 'BindsDown' } as const;

/** Debian 12 (bookworm) for arm64, as Debian publishes it in SSM: resolved at deploy time, no lookup at synth. */
const DEBIAN_AMI_PARAMETER = '/aws/service/debian/release/bookworm/latest/arm64';

/** Every `${NAME}` of the sample kannel.conf: the keys the operator puts in the config secret (but the two below). */
export function kannelConfVariables(conf: string): string[] {
  return [...new Set([...conf.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!))].sort();
}

/** Filled by the stack, not the operator: the API the sms-services call and the token their URLs carry. */
const STACK_VARIABLES = ['HOTLINE_API_URL', 'KANNEL_WEBHOOK_TOKEN'];

export interface KannelHostContext {
  /** The DNS name pointed at the host's Elastic IP; the TLS certificate for sendsms is issued for it. */
  domainName: string;
}

/** `-c kannelHost=true -c kannelDomain=…`: the host's settings, or undefined when it is not wanted. */
export function kannelHostContext(scope: Construct): KannelHostContext | undefined {
  const flag: unknown = scope.node.tryGetContext('kannelHost');
  if (flag === undefined || flag === null || flag === '' || String(flag) === 'false') return undefined;
  if (String(flag) !== 'true') throw new Error(`context kannelHost must be true or false, not "${String(flag)}"`);
  const domainName = String(scope.node.tryGetContext('kannelDomain') ?? '');
  if (!/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName)) {
    throw new Error(`context kannelHost=true needs kannelDomain, the DNS name of the host (e.g. sms.example.org), not "${domainName}"`);
  }
  return { domainName };
}

export interface KannelHostProps extends KannelHostContext {
  /** The hotline's HTTP API, whose /sms/kannel and /ussd/kannel routes the sms-services call. */
  apiEndpoint: string;
  /** The secret holding KANNEL_WEBHOOK_TOKEN, which every Kannel URL carries. */
  webhookToken: ISecret;
  alarms: OperatorAlarms;
}

export class KannelHost extends Construct {
  readonly instance: Instance;
  readonly elasticIp: CfnEIP;
  /** The SMPP credentials and passwords, filled by the operator (JSON keys: `kannelConfVariables`). */
  readonly config: Secret;
  readonly logGroup: LogGroup;
  readonly bindsDownAlarm: Alarm;

  constructor(scope: Construct, id: string, props: KannelHostProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const conf = readFileSync(new URL('./kannel/kannel.conf', import.meta.url), 'utf8');
    const operatorKeys = kannelConfVariables(conf).filter((name) => !STACK_VARIABLES.includes(name));

    // One public subnet, no NAT: the host needs a public address anyway (the operators whitelist it).
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    const flowLogs = new LogGroup(this, 'FlowLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(flowLogs) });

    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'SafeJob Kannel host: HTTPS sendsms for the outbox, HTTP for certificate challenges; SMPP binds go out',
      allowAllOutbound: true,
    });
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), 'sendsms over TLS, from the outbox function (no fixed IP)');
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), 'Lets Encrypt HTTP-01 challenges (nginx redirects the rest)');

    this.config = new Secret(this, 'Config', {
      description:
        `SafeJob Kannel host: kannel.conf values, JSON keys ${operatorKeys.join(', ')}, filled by the operator ` +
        '(infra/kannel/kannel.conf; an unused bind: leave its HOST empty and remove its group)',
      secretObjectValue: {},
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });

    this.instance = new Instance(this, 'Instance', {
      vpc,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroup,
      instanceType: InstanceType.of(InstanceClass.T4G, InstanceSize.SMALL),
      machineImage: MachineImage.fromSsmParameter(DEBIAN_AMI_PARAMETER),
      requireImdsv2: true,
      detailedMonitoring: true,
      disableApiTermination: true,
      // Session Manager instead of SSH: no key pair, no port 22.
      ssmSessionPermissions: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: BlockDeviceVolume.ebs(16, { encrypted: true, volumeType: EbsDeviceVolumeType.GP3 }) }],
      userData: this.userData(conf, props, region),
      // A changed kannel.conf or boot script replaces the host (its Elastic IP stays, so the whitelists hold).
      userDataCausesReplacement: true,
    });
    this.config.grantRead(this.instance);
    props.webhookToken.grantRead(this.instance);
    this.logGroup.grantWrite(this.instance);
    this.instance.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': KANNEL_BINDS_METRIC.namespace } },
      }),
    );

    this.elasticIp = new CfnEIP(this, 'ElasticIp', { domain: 'vpc', tags: [{ key: 'Name', value: 'safejob-kannel' }] });
    new CfnEIPAssociation(this, 'ElasticIpAssociation', { allocationId: this.elasticIp.attrAllocationId, instanceId: this.instance.instanceId });

    // A bind down for ten minutes on end (the least of the minute counts; a reconnect takes seconds), or a host that
    // stopped reporting (missing data breaches).
    this.bindsDownAlarm = props.alarms.alarm(
      'KannelBindsDownAlarm',
      'kannel-binds-down',
      'A Kannel SMPP bind to an operator has been down for 10 minutes, or the Kannel host stopped reporting: SMS or ' +
        'USSD of that operator are not reaching the hotline. See the bearerbox log in the Kannel log group and ' +
        "`curl 127.0.0.1:13000/status.txt` on the host (Session Manager); check the operator's VPN and whitelist.",
      new Metric({ ...KANNEL_BINDS_METRIC, period: Duration.minutes(10), statistic: Stats.MINIMUM }),
      1,
      true,
    );

    new CfnOutput(this, 'KannelHostIp', {
      value: this.elasticIp.attrPublicIp,
      description: `The Kannel host's fixed IP: give it to each operator to whitelist, and point ${props.domainName} at it`,
    });
    new CfnOutput(this, 'KannelSendsmsUrl', {
      value: `https://${props.domainName}/cgi-bin/sendsms`,
      description: 'KANNEL_SENDSMS_URL for the provider credentials (with KANNEL_USERNAME=hotline, KANNEL_PASSWORD)',
    });
    new CfnOutput(this, 'KannelConfigCommand', {
      value:
        `aws secretsmanager put-secret-value --secret-id ${this.config.secretArn} --secret-string ` +
        `'${JSON.stringify(Object.fromEntries(operatorKeys.map((key) => [key, '...'])))}'`,
      description: 'Fills the Kannel host configuration (then reboot the host, or replace it, to apply)',
    });

    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason:
        'sendsms (443) is called by the outbox Lambda, which has no fixed IP; it requires the sendsms password over ' +
        "TLS. Port 80 only answers Let's Encrypt challenges and redirects to 443.",
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: "Session Manager access to the host (instead of SSH and a key pair) needs AWS's managed instance policy.",
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData has no resource-level permissions; it is limited to the SafeJob/Kannel namespace.',
    });
    Validations.of(this.config).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'SMPP passwords are issued by the operators and changed with them; Secrets Manager cannot rotate them.',
    });
  }

  /**
   * The boot script: Debian's kannel, nginx and certbot; kannel.conf rendered from the secrets; the CloudWatch
   * agent for the logs; a minute timer that puts the number of binds down.
   */
  private userData(conf: string, props: KannelHostProps, region: string): UserData {
    const userData = UserData.forLinux();
    const logGroup = this.logGroup.logGroupName;
    userData.addCommands(
      'set -euo pipefail',
      'export DEBIAN_FRONTEND=noninteractive',
      'apt-get update',
      'apt-get install -y kannel nginx certbot python3-certbot-nginx awscli jq gettext-base curl',
      // The CloudWatch agent is not packaged by Debian: AWS's own package for arm64.
      `curl -fsSL -o /tmp/amazon-cloudwatch-agent.deb https://amazoncloudwatch-agent-${region}.s3.${region}.amazonaws.com/debian/arm64/latest/amazon-cloudwatch-agent.deb`,
      'dpkg -i /tmp/amazon-cloudwatch-agent.deb',
      "cat > /etc/kannel/kannel.conf.template <<'SAFEJOB_KANNEL_CONF'",
      conf.trimEnd(),
      'SAFEJOB_KANNEL_CONF',
      // The values: the operator's secret, then the stack's (the API and the webhook token).
      `aws secretsmanager get-secret-value --region ${region} --secret-id ${this.config.secretArn} --query SecretString --output text > /run/kannel-config.json`,
      `aws secretsmanager get-secret-value --region ${region} --secret-id ${props.webhookToken.secretArn} --query SecretString --output text >> /run/kannel-config.json`,
      `jq -rs 'add | to_entries[] | "export \\(.key)=\\(.value | @sh)"' /run/kannel-config.json > /run/kannel-config.env`,
      `echo "export HOTLINE_API_URL=${props.apiEndpoint}" >> /run/kannel-config.env`,
      'set -a; . /run/kannel-config.env; set +a',
      'envsubst < /etc/kannel/kannel.conf.template > /etc/kannel/kannel.conf',
      'rm -f /run/kannel-config.json /run/kannel-config.env',
      'chown root:kannel /etc/kannel/kannel.conf && chmod 640 /etc/kannel/kannel.conf',
      // bearerbox and smsbox; no wapbox.
      "printf 'START_WAPBOX=\\nSTART_SMSBOX=1\\n' > /etc/default/kannel",
      'systemctl enable kannel && systemctl restart kannel',
      // nginx: only /cgi-bin/sendsms, over TLS once certbot has the certificate.
      "cat > /etc/nginx/sites-available/default <<'SAFEJOB_NGINX'",
      'server {',
      '  listen 80 default_server;',
      `  server_name ${props.domainName};`,
      '  location /cgi-bin/sendsms { proxy_pass http://127.0.0.1:13013; }',
      '  location / { return 404; }',
      '}',
      'SAFEJOB_NGINX',
      'systemctl reload nginx',
      // The certificate needs the DNS name pointed at the Elastic IP: retried every 10 minutes until it is issued.
      "cat > /usr/local/sbin/safejob-tls <<'SAFEJOB_TLS'",
      '#!/bin/sh',
      `[ -d /etc/letsencrypt/live/${props.domainName} ] && exit 0`,
      `certbot --nginx --non-interactive --agree-tos --register-unsafely-without-email --redirect -d ${props.domainName}`,
      'SAFEJOB_TLS',
      // How many binds are not online, from bearerbox's status page, every minute.
      "cat > /usr/local/sbin/safejob-kannel-binds <<'SAFEJOB_BINDS'",
      '#!/bin/sh',
      'password=$(sed -n "s/^admin-password = //p" /etc/kannel/kannel.conf)',
      'status=$(curl -fsS "http://127.0.0.1:13000/status.txt?password=$password") || exit 0',
      'down=$(printf "%s\\n" "$status" | grep "SMPP:" | grep -vc "(online" || true)',
      `aws cloudwatch put-metric-data --region ${region} --namespace ${KANNEL_BINDS_METRIC.namespace} --metric-name ${KANNEL_BINDS_METRIC.metricName} --value "$down"`,
      'SAFEJOB_BINDS',
      'chmod 755 /usr/local/sbin/safejob-tls /usr/local/sbin/safejob-kannel-binds',
      "printf '*/10 * * * * root /usr/local/sbin/safejob-tls\\n* * * * * root /usr/local/sbin/safejob-kannel-binds\\n' > /etc/cron.d/safejob-kannel",
      '/usr/local/sbin/safejob-tls || true',
      // Kannel's logs to CloudWatch.
      'cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<SAFEJOB_CWAGENT',
      JSON.stringify({
        logs: {
          logs_collected: {
            files: {
              collect_list: ['bearerbox', 'smsbox', 'access'].map((name) => ({
                file_path: `/var/log/kannel/${name}.log`,
                log_group_name: logGroup,
                log_stream_name: `{instance_id}/${name}`,
              })),
            },
          },
        },
      }),
      'SAFEJOB_CWAGENT',
      '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
    );
    return userData;
  }
}
