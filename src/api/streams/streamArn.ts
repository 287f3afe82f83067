/** Stream ARNs: the table's ARN + `/stream/` + the stream label. */
export function streamArn(tableArn: string, label: string): string {
  return `${tableArn}/stream/${label}`;
}

/** The table ARN and label a stream ARN names, or undefined if it is not one. */
export function parseStreamArn(arn: string): { tableArn: string; label: string } | undefined {
  const match = /^(arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[a-zA-Z0-9_.-]{3,255})\/stream\/(.+)$/.exec(arn);
  return match === null ? undefined : { tableArn: match[1]!, label: match[2]! };
}
