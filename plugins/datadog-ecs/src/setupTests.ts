import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A page is lazily loaded and compiled on first render: on a loaded machine (CI runs the suites
// side by side) that can take seconds, more than testing-library's 1 s default for findBy*.
// Waiting longer changes nothing for a test that passes; the test's own timeout stays above it.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
