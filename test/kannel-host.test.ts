/**
 * The optional Kannel host of the stack (infra/kannel-host.ts), synthesized without bundling and with cdk-nag's
 * AwsSolutions checks: present with `-c kannelHost=true -c kannelDomain=…`, absent otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { KANNEL_BINDS_METRIC, kannelConfVariables } from '../infra/kannel-host';
import { HotlineStack } from '../infra/stack';

const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const sampleConf = readFileSync(new URL('../infra/kannel/kannel.conf', import.meta.url), 'utf8');
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

interface NagReport {
  pluginReports: { pluginName: string; conclusion: string; violations: unknown[]; suppressedViolations?: { ruleName: string; reason: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

function synth(context: Record<string, unknown>): { template: Template; nag: NagReport } {
  const outdir = mkdtempSync(join(tmpdir(), 'hotline-kannel-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new HotlineStack(app, 'SafeJobHotline');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const assembly = app.synth();
  const nag = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as NagReport;
  return { template: Template.fromStack(stack), nag };
}

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** The user data script as text, tokens left as `<…>`. */
function userDataOf(template: Template): string {
  const [instance] = Object.values(template.findResources('AWS::EC2::Instance') as Resources);
  const parts = ((instance!.Properties.UserData as { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } })['Fn::Base64']['Fn::Join'][1]);
  return parts.map((part) => (typeof part === 'string' ? part : '<token>')).join('');
}

describe('the Kannel host', () => {
  const on = synth({ kannelHost: 'true', kannelDomain: 'sms.example.org' });

  it('is a small arm64 Debian instance with IMDSv2, an encrypted disk, a fixed Elastic IP and no SSH', () => {
    on.template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.small',
      Monitoring: true,
      DisableApiTermination: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 16, VolumeType: 'gp3' } }],
    });
    expect(JSON.stringify(on.template.toJSON().Parameters)).toContain('/aws/service/debian/release/bookworm/latest/arm64');
    on.template.resourceCountIs('AWS::EC2::EIP', 1);
    on.template.resourceCountIs('AWS::EC2::EIPAssociation', 1);
    on.template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } });
    const ingress = (Object.values(on.template.findResources('AWS::EC2::SecurityGroup') as Resources)[0]!.Properties.SecurityGroupIngress as { FromPort: number }[]).map((rule) => rule.FromPort);
    expect(ingress.sort()).toEqual([443, 80]);
    on.template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('installs Debian\'s kannel at boot and renders the sample kannel.conf from Secrets Manager', () => {
    const script = userDataOf(on.template);
    expect(script).toContain('apt-get install -y kannel nginx certbot');
    // The repository's sample, verbatim: what is tested is what is deployed.
    expect(script).toContain(sampleConf.trimEnd());
    expect(script).toContain('envsubst < /etc/kannel/kannel.conf.template > /etc/kannel/kannel.conf');
    expect(script).toContain('proxy_pass http://127.0.0.1:13013');
    expect(script).toContain('-d sms.example.org');
    expect(script).not.toMatch(/smsc-password = [^$]/);
  });

  it('names every placeholder of kannel.conf in its config secret, and fills the API and token itself', () => {
    const names = kannelConfVariables(sampleConf);
    expect(names).toEqual(expect.arrayContaining(['HOTLINE_API_URL', 'KANNEL_WEBHOOK_TOKEN', 'TCELL_SMPP_PASSWORD', 'OMOBILE_SMPP_HOST', 'KANNEL_SENDSMS_PASSWORD']));
    const secrets = Object.values(on.template.findResources('AWS::SecretsManager::Secret') as Resources).map((s) => String(s.Properties.Description));
    const config = secrets.find((d) => d.startsWith('SafeJob Kannel host'))!;
    for (const name of names.filter((n) => n !== 'HOTLINE_API_URL' && n !== 'KANNEL_WEBHOOK_TOKEN')) expect(config).toContain(name);
    expect(config).not.toContain('KANNEL_WEBHOOK_TOKEN');
  });

  it('ships the logs and alarms when a bind is down or the host goes quiet', () => {
    on.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(userDataOf(on.template)).toContain('/var/log/kannel/bearerbox.log');
    on.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'SafeJobHotline-kannel-binds-down',
      Namespace: KANNEL_BINDS_METRIC.namespace,
      MetricName: KANNEL_BINDS_METRIC.metricName,
      Threshold: 1,
      Statistic: 'Minimum',
      Period: 600,
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
    on.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'SafeJob/Kannel' } }, Effect: 'Allow', Resource: '*' },
        ]),
      },
    });
  });

  it('passes cdk-nag, acknowledging only the reviewed host findings, each with a reason', () => {
    for (const plugin of on.nag.pluginReports) {
      expect(plugin.violations, plugin.pluginName).toEqual([]);
      expect(plugin.conclusion).toBe('success');
    }
    const host = on.nag.pluginReports
      .flatMap((p) => p.suppressedViolations ?? [])
      .flatMap((f) => f.violatingConstructs.filter((c) => c.constructPath.includes('/KannelHost/')).map((c) => ({ rule: f.ruleName, path: c.constructPath, reason: f.reason })));
    for (const finding of host) expect(finding.reason.length, finding.rule).toBeGreaterThan(40);
    expect([...new Set(host.map((f) => `${f.rule} ${f.path.replace('SafeJobHotline/KannelHost/', '')}`))].sort()).toEqual([
      'AwsSolutions-EC23 SecurityGroup/Resource',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore] Instance/InstanceRole/Resource',
      'AwsSolutions-IAM5[Resource::*] Instance/InstanceRole/DefaultPolicy/Resource',
      'AwsSolutions-SMG4 Config/Resource',
    ]);
  });

  it('is absent without the flag, and refuses a flag without a domain', () => {
    const off = synth({});
    off.template.resourceCountIs('AWS::EC2::Instance', 0);
    off.template.resourceCountIs('AWS::EC2::VPC', 0);
    expect(Object.keys(off.template.toJSON().Outputs)).not.toContain('KannelHostKannelHostIp');
    expect(() => synth({ kannelHost: 'true' })).toThrow(/kannelDomain/);
    expect(() => synth({ kannelHost: 'yes', kannelDomain: 'sms.example.org' })).toThrow(/kannelHost must be true or false/);
  });
});
