/** The note a step still `running` gets when its run is found dead (both databases write it). */
export const INTERRUPTED_NOTE =
  "tasker died while this step ran (tasker's own process is gone; tasker show reports the step's processes)";
