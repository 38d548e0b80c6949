import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { Sparkline } from './sparkline';

describe('Sparkline', () => {
  test('is one image whose name gives the range and the latest reading', () => {
    render(<Sparkline values={[2, 8, 4.25]} label="Requests a second" unit="/s" />);
    expect(screen.getByRole('img', { name: 'Requests a second: 3 readings, from 2/s to 8/s, now 4.3/s' })).toBeTruthy();
  });

  test('draws the highest reading at the top and never with an inline style', () => {
    const { container } = render(<Sparkline values={[0, 10, 5]} label="x" />);
    const d = container.querySelector('[data-testid="sparkline-line"]')?.getAttribute('d');
    expect(d).toBe('M0.0 30.0 L60.0 2.0 L120.0 16.0');
    expect(container.querySelector('[style]')).toBeNull();
  });

  test('says when there is nothing yet', () => {
    const { container } = render(<Sparkline values={[]} label="Mean latency" />);
    expect(screen.getByRole('img', { name: 'Mean latency: no readings yet' })).toBeTruthy();
    expect(container.querySelector('path')).toBeNull();
  });
});
