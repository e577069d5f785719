import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import {
  ecsClusterConsoleUrl,
  parseEcsArn,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * A link to the AWS console, in a new tab, named "Open <what> in the AWS console" for assistive
 * technology. Renders nothing without an address (a partition with no public console).
 */
export const ConsoleLink = (props: {
  href: string | undefined;
  /** What it opens: "cluster prod", "task 0f1e2d3c". */
  what: string;
  /** The visible text; "AWS console" by default. */
  children?: ReactNode;
  className?: string;
}) =>
  props.href ? (
    <Link
      to={props.href}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={`Open ${props.what} in the AWS console`}
      className={props.className}
      externalLinkIcon
    >
      {props.children ?? 'AWS console'}
    </Link>
  ) : null;

/** The console link of a cluster, in the partition of its ARN. */
export const ClusterConsoleLink = (props: {
  cluster: { region: string; clusterName: string; clusterArn: string };
  className?: string;
}) => (
  <ConsoleLink
    className={props.className}
    href={ecsClusterConsoleUrl({
      region: props.cluster.region,
      clusterName: props.cluster.clusterName,
      partition: parseEcsArn(props.cluster.clusterArn)?.partition,
    })}
    what={`cluster ${props.cluster.clusterName}`}
  />
);
