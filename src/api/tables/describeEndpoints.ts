/** DescribeEndpoints: this server's own address. */
import type { Operation } from '../context.js';

export const describeEndpoints: Operation = (ctx) =>
  JSON.stringify({ Endpoints: [{ Address: ctx.endpointAddress, CachePeriodInMinutes: 1440 }] });
