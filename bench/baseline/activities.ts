export const baselineActivities = {
  async noop(): Promise<void> {
    // Deliberately empty: the baseline measures Temporal's own cost per activity.
  },
};

export type BaselineActivities = typeof baselineActivities;
