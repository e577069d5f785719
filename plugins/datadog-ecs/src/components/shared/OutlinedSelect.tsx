import { ReactNode } from 'react';
import {
  FormControl,
  InputLabel,
  Select,
  SelectProps,
} from '@material-ui/core';

/**
 * A small outlined select with its visible label tied to it (`labelId`), as the filters use it.
 * The options are its children (`MenuItem`s).
 */
export const OutlinedSelect = (props: {
  /** The label's element id; the select is labelled by it. */
  labelId: string;
  label: string;
  value: SelectProps['value'];
  onChange: (value: unknown) => void;
  className?: string;
  children: ReactNode;
}) => (
  <FormControl variant="outlined" size="small" className={props.className}>
    <InputLabel id={props.labelId}>{props.label}</InputLabel>
    <Select
      labelId={props.labelId}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
    >
      {props.children}
    </Select>
  </FormControl>
);
