export * from './coverageState';
export * from './CoverageGauge';
export * from './FeatureChips';
export * from './FindingList';
export * from './RelativeTime';
export * from './hooks';
export * from './errors';
export * from './InstanceTable';
