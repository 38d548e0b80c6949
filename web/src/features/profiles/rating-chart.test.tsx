import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { RatingStats } from './api';
import { RatingChart } from './rating-chart';

const stats: RatingStats = {
  avg_professionalism: 4.5,
  avg_completeness: null,
  avg_efficiency: 3,
  avg_overall_rating: 4.25,
  min_overall_rating: 3,
  max_overall_rating: 5,
  one_stars: 0,
  two_stars: 0,
  three_stars: 1,
  four_stars: 1,
  five_stars: 2,
  total_evaluations: 4,
  total_no_show: 1,
};

describe('RatingChart', () => {
  test('is two images whose names spell out every number, so no table is needed beside them', () => {
    render(<RatingChart stats={stats} />);
    expect(screen.getByRole('img', { name: 'Ratings by stars: 5 stars: 2, 4 stars: 1, 3 stars: 1, 2 stars: 0, 1 stars: 0' })).toBeTruthy();
    expect(screen.getByRole('img', { name: /Average ratings: Overall 4\.3 of 5, Professionalism 4\.5 of 5, Completeness – of 5, Efficiency 3\.0 of 5/ })).toBeTruthy();
    expect(screen.getByText('4 ratings, 1 no-show')).toBeTruthy();
  });

  test('bars are as long as their share of the most common rating, drawn as SVG geometry', () => {
    const { container } = render(<RatingChart stats={stats} />);
    const width = (stars: number) => Number(container.querySelector(`[data-testid="bar-${stars}"]`)?.getAttribute('width'));
    expect(width(5)).toBeGreaterThan(0);
    expect(width(4)).toBeCloseTo(width(5) / 2);
    expect(width(3)).toBeCloseTo(width(5) / 2);
    expect(width(1)).toBe(0);
    // No inline style anywhere: the app's CSP (style-src 'self') would block it.
    expect(container.querySelector('[style]')).toBeNull();
  });
});
