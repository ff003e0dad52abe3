import * as z from 'zod/mini';
import './zod-english.ts';

const nonEmpty = z.string().check(z.minLength(1), z.maxLength(200));

/**
 * A deployment as a CI/CD pipeline reports it to POST /webhooks/deployment: `id` makes a retried
 * report a duplicate; `time` is when it went out (ISO 8601 with an offset, or epoch ms).
 */
export const deploymentReportSchema = z.object({
  id: nonEmpty,
  service: nonEmpty,
  version: nonEmpty,
  time: z.union([
    z.number().check(z.int(), z.positive()),
    z
      .string()
      .check(
        z.refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO 8601 time such as 2026-11-24T14:02:00Z'),
      ),
  ]),
});
export type DeploymentReport = z.infer<typeof deploymentReportSchema>;

export const deploymentSchema = z.object({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  atMs: z.number(),
});
/** A deployment, its time in epoch milliseconds. */
export type Deployment = z.infer<typeof deploymentSchema>;

/** The deployment a report describes. */
export function deploymentOf(report: DeploymentReport): Deployment {
  const atMs = typeof report.time === 'number' ? report.time : Date.parse(report.time);
  return { id: report.id, service: report.service, version: report.version, atMs };
}
