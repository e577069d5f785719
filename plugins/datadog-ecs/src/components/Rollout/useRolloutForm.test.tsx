import { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import {
  ClusterDetails,
  DatadogEcsApi,
  RolloutPreview,
  featuresFromTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  customAmiCluster,
  noAgentCluster,
} from '../../__fixtures__';
import { datadogEcsApiRef } from '../../api';
import {
  asksGeneration,
  initialForm,
  requestOf,
  useRolloutForm,
  variantOfInstances,
} from './useRolloutForm';
import { DEFAULT_FEATURES } from './words';

const ref = {
  accountId: coveredCluster.accountId,
  region: coveredCluster.region,
  clusterName: coveredCluster.clusterName,
};

const DEBOUNCE_MS = 400;

/** The covered cluster, its Agent's environment changed. */
function withAgentEnv(env: Record<string, string>): ClusterDetails {
  const [td, ...rest] = coveredCluster.taskDefinitions;
  return {
    ...coveredCluster,
    taskDefinitions: [
      {
        ...td,
        containerDefinitions: td.containerDefinitions?.map((c, i) =>
          i === 0
            ? {
                ...c,
                environment: [
                  ...(c.environment ?? []).filter(e => !(e.name! in env)),
                  ...Object.entries(env).map(([name, value]) => ({
                    name,
                    value,
                  })),
                ],
              }
            : c,
        ),
      },
      ...rest,
    ],
  };
}

function setup(
  options: {
    details?: ClusterDetails;
    entityRef?: string;
    previewRollout?: jest.Mock;
  } = {},
) {
  const previewRollout =
    options.previewRollout ??
    jest.fn(async () => ({ rolloutEnabled: true } as RolloutPreview));
  const api = { previewRollout } as unknown as DatadogEcsApi;
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <TestApiProvider apis={[[datadogEcsApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(
    () =>
      useRolloutForm({
        cluster: ref,
        details: 'details' in options ? options.details : coveredCluster,
        entityRef: options.entityRef,
        previewDebounceMs: DEBOUNCE_MS,
      }),
    { wrapper },
  );
  return { ...hook, previewRollout };
}

/** Lets the fake API's promises settle. */
const settle = () => act(async () => {});

describe('useRolloutForm', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('its starting point', () => {
    it('is what runs now: the features, DD_SITE and DD_TAGS of the Agent', () => {
      expect(initialForm(coveredCluster).site).toBe('datadoghq.com');
      const details = withAgentEnv({
        DD_SITE: 'datadoghq.eu',
        DD_TAGS: 'env:prod  team:payments',
      });
      const form = initialForm(details);
      expect(form).toEqual({
        features: featuresFromTaskDefinition(details.taskDefinitions[0]),
        variant: 'instances',
        unknownGeneration: 'linux',
        external: false,
        imageTag: '',
        site: 'datadoghq.eu',
        tags: 'env:prod, team:payments',
      });
      expect(form.features).toMatchObject({
        apm: true,
        logs: true,
        healthCheck: false,
      });
    });

    it('leaves a site it does not know to the portal’s default', () => {
      expect(initialForm(withAgentEnv({ DD_SITE: 'example.com' })).site).toBe(
        '',
      );
    });

    it('is the guide’s defaults where no Agent runs', () => {
      const form = initialForm(noAgentCluster);
      expect(form.features).toEqual(DEFAULT_FEATURES);
      expect(form.features).not.toBe(DEFAULT_FEATURES);
      expect(form.site).toBe('');
      expect(form.tags).toBe('');
      expect(initialForm(undefined).features).toEqual(DEFAULT_FEATURES);
    });
  });

  describe('its checks', () => {
    it('refuses an image tag the API would refuse, and accepts an empty one', async () => {
      const { result } = setup();
      expect(result.current.imageTagError).toBeUndefined();
      act(() => result.current.set({ imageTag: 'bad tag' }));
      expect(result.current.imageTagError).toMatch(/^Letters, digits/);
      expect(result.current.clientInvalid).toBe(true);
      act(() => result.current.set({ imageTag: 'x'.repeat(129) }));
      expect(result.current.imageTagError).toBeDefined();
      act(() => result.current.set({ imageTag: ' 7.64.1 ' }));
      expect(result.current.imageTagError).toBeUndefined();
      expect(result.current.clientInvalid).toBe(false);
      await settle();
    });

    it('names the tags that are not key:value and sends only the valid ones', async () => {
      const { result } = setup();
      act(() => result.current.set({ tags: 'env:prod nokey, team:x :bad' }));
      expect(result.current.invalidTags).toEqual(['nokey', ':bad']);
      expect(result.current.clientInvalid).toBe(true);
      expect(result.current.request.tags).toEqual(['env:prod', 'team:x']);
      await settle();
    });

    it('previews nothing while a field is invalid', async () => {
      jest.useFakeTimers();
      const { result, previewRollout } = setup();
      await settle();
      expect(previewRollout).toHaveBeenCalledTimes(1);
      act(() => result.current.set({ imageTag: 'bad tag' }));
      await act(async () => {
        jest.advanceTimersByTime(DEBOUNCE_MS * 2);
      });
      expect(previewRollout).toHaveBeenCalledTimes(1);
      act(() => result.current.set({ imageTag: '7.66.0' }));
      await act(async () => {
        jest.advanceTimersByTime(DEBOUNCE_MS);
      });
      expect(previewRollout.mock.calls.length).toBeGreaterThan(1);
      expect(previewRollout.mock.calls.at(-1)[1].imageTag).toBe('7.66.0');
    });
  });

  describe('its request body', () => {
    it('holds the features and tags, and leaves the variant to the server by default', async () => {
      const { result } = setup();
      expect(result.current.request).toEqual({
        features: initialForm(coveredCluster).features,
        site: 'datadoghq.com',
        tags: [],
      });
      expect(JSON.parse(result.current.requestKey)).toEqual(
        result.current.request,
      );
      await settle();
    });

    it('carries an overridden variant with ECS Anywhere, the site, the trimmed image tag and the entity', async () => {
      const { result } = setup({ entityRef: 'component:default/payments' });
      act(() => {
        result.current.set({
          variant: 'windows',
          external: true,
          site: 'us5.datadoghq.com',
          imageTag: ' 7.66.0 ',
          tags: 'env:prod',
        });
        result.current.setFeature('process', true);
      });
      expect(result.current.request).toEqual({
        features: { ...initialForm(coveredCluster).features, process: true },
        variant: 'windows',
        external: true,
        site: 'us5.datadoghq.com',
        imageTag: '7.66.0',
        tags: ['env:prod'],
        entityRef: 'component:default/payments',
      });
      await settle();
    });

    it('drops ECS Anywhere when the variant is chosen from the instances', () => {
      const form = { ...initialForm(coveredCluster), external: true };
      expect(requestOf(form, [])).toEqual({
        features: form.features,
        site: 'datadoghq.com',
        tags: [],
      });
      expect(
        requestOf({ ...form, site: '' }, ['a:b'], 'component:x/y'),
      ).toEqual({
        features: form.features,
        tags: ['a:b'],
        entityRef: 'component:x/y',
      });
    });
  });

  describe('instances of unknown Amazon Linux generation', () => {
    it('asks only where Linux instances have an unknown generation', () => {
      expect(asksGeneration(customAmiCluster)).toBe(true);
      expect(asksGeneration(coveredCluster)).toBe(false);
      expect(asksGeneration(undefined)).toBe(false);
      const windows: typeof customAmiCluster = {
        ...customAmiCluster,
        instances: [
          ...customAmiCluster.instances,
          ...[1, 2, 3].map(n => ({
            ...coveredCluster.instances[0],
            instanceId: `i-win${n}`,
            os: 'windows' as const,
            amazonLinuxGeneration: undefined,
            amazonLinuxGenerationSource: undefined,
          })),
        ],
      };
      expect(asksGeneration(windows)).toBe(false);
    });

    it('sends the Amazon Linux 2 / 2023 variant by default, and Amazon Linux 1 when answered', async () => {
      const { result, previewRollout } = setup({ details: customAmiCluster });
      expect(result.current.askGeneration).toBe(true);
      expect(result.current.form.unknownGeneration).toBe('linux');
      expect(result.current.fromInstances.generationUnknown).toBe(2);
      expect(result.current.request).toMatchObject({
        variant: 'linux',
        external: false,
      });
      expect(previewRollout.mock.calls[0][1]).toMatchObject({ variant: 'linux' });
      act(() => result.current.set({ unknownGeneration: 'amazon-linux-1' }));
      expect(result.current.request).toMatchObject({
        variant: 'amazon-linux-1',
        external: false,
      });
      expect(result.current.fromInstances.variant).toBe('amazon-linux-1');
      await settle();
    });

    it('leaves the answer out once the variant is overridden', () => {
      const form = {
        ...initialForm(customAmiCluster),
        unknownGeneration: 'amazon-linux-1' as const,
        variant: 'windows' as const,
      };
      expect(requestOf(form, [], undefined, customAmiCluster).variant).toBe(
        'windows',
      );
      expect(
        requestOf(initialForm(coveredCluster), [], undefined, coveredCluster)
          .variant,
      ).toBeUndefined();
    });

    it('chooses as the server does: unknown instances count as the answer', () => {
      expect(variantOfInstances(customAmiCluster).variant).toBe('linux');
      expect(
        variantOfInstances(customAmiCluster, 'amazon-linux-1').variant,
      ).toBe('amazon-linux-1');
      // Known Amazon Linux 2023 instances outvote one answered instance.
      const mostlyKnown = {
        ...coveredCluster,
        instances: [...coveredCluster.instances, customAmiCluster.instances[0]],
      };
      expect(variantOfInstances(mostlyKnown, 'amazon-linux-1')).toMatchObject({
        variant: 'linux',
        mixedFleet: true,
        generationUnknown: 1,
      });
    });
  });

  describe('its preview', () => {
    it('previews the form at once, then only once it rested the debounce time', async () => {
      jest.useFakeTimers();
      const { result, previewRollout } = setup();
      expect(previewRollout).toHaveBeenCalledTimes(1);
      expect(previewRollout).toHaveBeenCalledWith(ref, result.current.request);
      expect(result.current.loading).toBe(true);
      await settle();
      expect(result.current.loading).toBe(false);
      expect(result.current.current).toMatchObject({
        key: result.current.requestKey,
        value: { rolloutEnabled: true },
      });

      // Three changes in quick succession: one preview, of the last.
      act(() => result.current.setFeature('process', true));
      await act(async () => {
        jest.advanceTimersByTime(DEBOUNCE_MS - 100);
      });
      act(() => result.current.setFeature('npm', true));
      await act(async () => {
        jest.advanceTimersByTime(DEBOUNCE_MS - 100);
      });
      act(() => result.current.set({ tags: 'env:prod' }));
      // The preview shown no longer answers the form as it stands.
      expect(result.current.current).toBeUndefined();
      expect(result.current.preview?.value).toBeDefined();
      await act(async () => {
        jest.advanceTimersByTime(DEBOUNCE_MS - 1);
      });
      expect(previewRollout).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(1);
      });
      expect(previewRollout).toHaveBeenCalledTimes(2);
      const [, body] = previewRollout.mock.calls[1];
      expect(body.features).toMatchObject({ process: true, npm: true });
      expect(body.tags).toEqual(['env:prod']);
      await settle();
      expect(result.current.current?.key).toBe(result.current.requestKey);
    });

    it('keeps the server’s refusal with the rule from the error’s field', async () => {
      const previewRollout = jest.fn(async () => {
        throw Object.assign(
          new Error(
            'Network performance monitoring is only available for Linux',
          ),
          { rule: 'npm-linux-only' },
        );
      });
      const { result } = setup({ previewRollout });
      await settle();
      expect(result.current.current).toEqual({
        key: result.current.requestKey,
        error: 'Network performance monitoring is only available for Linux',
        rule: 'npm-linux-only',
      });
      expect(result.current.refusal).toBe(result.current.current);
    });
  });
});
