/** Orders keys as people do: by project, then by number (INC-9 before INC-10). */
export function compareKeys(a: string, b: string): number {
  const [, projectA = a, numberA = '0'] = /^(.*?)-?(\d*)$/.exec(a) ?? [];
  const [, projectB = b, numberB = '0'] = /^(.*?)-?(\d*)$/.exec(b) ?? [];
  if (projectA !== projectB) return projectA < projectB ? -1 : 1;
  return Number(numberA) - Number(numberB);
}
