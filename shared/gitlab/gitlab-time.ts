const GITLAB_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|[+-]\d{4})$/;

/**
 * Epoch milliseconds of a GitLab webhook time: "2017-12-10 17:01:11 UTC", "2022-04-01 13:49:55 +0800",
 * or ISO 8601 (some newer fields); NaN for anything else.
 */
export function gitlabTimeMs(text: string): number {
  const match = GITLAB_TIME.exec(text);
  if (match === null) return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  const [, day, time, zone] = match;
  const offset = zone === 'UTC' ? 'Z' : `${zone?.slice(0, 3)}:${zone?.slice(3)}`;
  return Date.parse(`${day}T${time}${offset}`);
}
