import { CopyTextButton } from '@backstage/core-components';
import { Box, useTheme } from '@material-ui/core';
// The type import loads the declarations of the per-file modules below (erased at run time).
import type { SyntaxHighlighterProps } from 'react-syntax-highlighter';
import SyntaxHighlighter from 'react-syntax-highlighter/dist/esm/light';
import json from 'react-syntax-highlighter/dist/esm/languages/hljs/json';
import a11yDark from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-dark';
import a11yLight from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-light';

SyntaxHighlighter.registerLanguage('json', json);

/**
 * A JSON document with line numbers and a copy button, in highlight.js' a11y themes (every token at
 * least 4.5:1, unlike CodeSnippet's docco). When it scrolls, the block is a labelled region the
 * keyboard can focus and scroll (WCAG 2.1.1).
 */
export const JsonBlock = (props: {
  text: string;
  /** Names the region for screen readers, e.g. "Task definition datadog-agent-task:7". */
  label: string;
  maxHeight?: number;
}) => {
  const theme = useTheme();
  const style: SyntaxHighlighterProps['style'] =
    theme.palette.type === 'dark' ? a11yDark : a11yLight;
  return (
    <Box position="relative">
      <SyntaxHighlighter
        language="json"
        style={style}
        showLineNumbers
        lineNumberStyle={{ color: theme.palette.text.secondary }}
        customStyle={{
          maxHeight: props.maxHeight ?? 480,
          overflow: 'auto',
          margin: 0,
        }}
        tabIndex={0}
        role="region"
        aria-label={props.label}
      >
        {props.text}
      </SyntaxHighlighter>
      <Box position="absolute" top={0} right={0}>
        <CopyTextButton text={props.text} />
      </Box>
    </Box>
  );
};
