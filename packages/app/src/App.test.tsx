import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts on the development sign-in page with guest and the demo users', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'Test',
              demoSignIn: { users: [{ name: 'alice', title: 'Alice — platform team' }] },
            },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Enter as guest' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in as alice' })).toBeInTheDocument();
  });
});
