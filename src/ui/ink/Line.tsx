import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

/**
 * One row of the live region, cut to `width`: the layout counts rows, so no
 * line may wrap into a second one.
 */
export function Line({ width, children }: { width: number; children: ReactNode }) {
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate-end">{children}</Text>
    </Box>
  );
}
