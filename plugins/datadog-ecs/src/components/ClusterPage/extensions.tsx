import { ReactNode, createContext, useContext } from 'react';
import { ClusterDetails } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * What the cluster page gives its extension slots: the cluster as loaded, and a way to reload it
 * (after a rollout, say).
 *
 * @public
 */
export interface ClusterPageContextValue {
  cluster: ClusterDetails;
  reload: () => void;
}

/**
 * An extension slot of the cluster page. The page has two:
 *
 * - `actions`: rendered in the cluster page's header, next to its title (e.g. a "Roll out the Agent"
 *   button that opens the rollout dialog);
 * - `sections`: rendered as full-width sections after the instance table (e.g. rollout history).
 *
 * Both receive {@link ClusterPageContextValue}; {@link useClusterPageContext} gives the same inside them.
 *
 * @public
 */
export type ClusterPageSlot = (context: ClusterPageContextValue) => ReactNode;

const ClusterPageContext = createContext<ClusterPageContextValue | undefined>(
  undefined,
);

export const ClusterPageContextProvider = ClusterPageContext.Provider;

/**
 * The cluster of the cluster page, for components rendered in its slots.
 *
 * @public
 */
export function useClusterPageContext(): ClusterPageContextValue {
  const value = useContext(ClusterPageContext);
  if (!value) {
    throw new Error(
      'useClusterPageContext must be used inside the datadog-ecs cluster page',
    );
  }
  return value;
}
