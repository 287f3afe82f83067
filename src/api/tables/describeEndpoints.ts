/** DescribeEndpoints: this server's own address. */
import type { Operation } from '../context.js';
import type { DescribeEndpointsResult } from '../results.js';

export const describeEndpoints: Operation<DescribeEndpointsResult> = (ctx) =>
  ({ Endpoints: [{ Address: ctx.endpointAddress, CachePeriodInMinutes: 1440 }] });
