/**
 * Member paths as DynamoDB prints them: member names with the first letter lowered
 * (`SSESpecification` -> `sSESpecification`), list elements as `keySchema.1.member`
 * (1-based), map values as `requestItems.<key>.member`.
 */

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function memberPath(parent: string, member: string): string {
  return parent === '' ? member : `${parent}.${member}`;
}

export function elementPath(list: string, index: number): string {
  return `${list}.${index + 1}.member`;
}

export function mapValuePath(map: string, key: string): string {
  return `${map}.${key}.member`;
}
