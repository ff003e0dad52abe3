/** A count as people write it: "1 message", "2 messages"; `plural` names the many when it is irregular. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : many}`;
}
