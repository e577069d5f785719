import { compareRow, rowCases } from '../__testUtils__/harness';
import { featureRows } from './rows';

describe('managedInstances rows', () => {
  it.each(rowCases(featureRows))('%s', (_name, row) => {
    const { actual, expected } = compareRow(row);
    expect(actual).toEqual(expected);
  });
});
