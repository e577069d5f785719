import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { Button, Grid, Typography } from '@material-ui/core';

/** A user offered on the development sign-in page (`app.demoSignIn.users`). */
export interface DemoUser {
  name: string;
  title: string;
  description?: string;
}

type Choice = { provider: 'guest' } | { provider: 'demo'; user: string };

const STORAGE_KEY = 'datadog-ecs-portal.sign-in';

function readChoice(): Choice | undefined {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Choice) : undefined;
  } catch {
    return undefined;
  }
}

/** Signing out forgets the choice, so the next visit offers the chooser again. */
function forgetChoiceOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(STORAGE_KEY);
      await identityApi.signOut();
    },
  };
}

/**
 * The development sign-in page: sign in as guest, or choose one of the demo users so the
 * permission story (who may roll out the Agent, and where) can be shown and tested.
 */
export const DemoSignInPage = (props: SignInPageProps) => {
  const configApi = useApi(configApiRef);
  const [choice, setChoice] = useState<Choice | undefined>(readChoice);

  const users: DemoUser[] = (
    configApi.getOptionalConfigArray('app.demoSignIn.users') ?? []
  ).map(c => ({
    name: c.getString('name'),
    title: c.getString('title'),
    description: c.getOptionalString('description'),
  }));

  const choose = (next: Choice) => {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setChoice(next);
  };

  if (choice) {
    const retry = () => {
      window.localStorage.removeItem(STORAGE_KEY);
      setChoice(undefined);
    };
    return (
      <ProxiedSignInPage
        provider={choice.provider}
        headers={choice.provider === 'demo' ? { 'x-demo-user': choice.user } : undefined}
        onSignInSuccess={identityApi =>
          props.onSignInSuccess(forgetChoiceOnSignOut(identityApi))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Content>
              <Typography color="error" paragraph>
                Sign-in failed: {error?.message ?? 'unknown error'}
              </Typography>
              <Button variant="contained" color="primary" onClick={retry}>
                Choose again
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title="Datadog Agent coverage on Amazon ECS" subtitle="Development sign-in" />
      <Content>
        <ContentHeader title="Choose who you are" />
        <Grid container spacing={3}>
          <Grid item xs={12} md={4}>
            <InfoCard title="Guest" subheader="Browse the portal">
              <Typography paragraph>
                Read-only: sees every cluster, cannot roll out.
              </Typography>
              <Button
                variant="contained"
                color="primary"
                onClick={() => choose({ provider: 'guest' })}
              >
                Enter as guest
              </Button>
            </InfoCard>
          </Grid>
          {users.map(user => (
            <Grid item xs={12} md={4} key={user.name}>
              <InfoCard title={user.title} subheader={`user:default/${user.name}`}>
                <Typography paragraph>{user.description}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => choose({ provider: 'demo', user: user.name })}
                >
                  Sign in as {user.name}
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
