/** Scrape targets of a Prometheus configuration file, as `host:port` pairs per job. */
import { z } from 'zod';
import { parseAs } from './k8s-objects';
import { loadYamlFile } from './repo-files';

const prometheusConfigSchema = z.looseObject({
  scrape_configs: z.array(
    z.looseObject({
      job_name: z.string(),
      static_configs: z.array(z.looseObject({ targets: z.array(z.string()) })).optional(),
      dns_sd_configs: z.array(z.looseObject({ names: z.array(z.string()), port: z.number().optional() })).optional(),
    }),
  ),
});

export interface ScrapeTarget {
  job: string;
  host: string;
  port: number | undefined;
}

export function scrapeTargets(file: string): ScrapeTarget[] {
  const config = parseAs(prometheusConfigSchema, loadYamlFile(file), file);
  return config.scrape_configs.flatMap((job) => [
    ...(job.static_configs ?? []).flatMap((c) =>
      c.targets.map((target) => {
        const [host = '', port] = target.split(':');
        return { job: job.job_name, host, port: port === undefined ? undefined : Number(port) };
      }),
    ),
    ...(job.dns_sd_configs ?? []).flatMap((c) => c.names.map((host) => ({ job: job.job_name, host, port: c.port }))),
  ]);
}
