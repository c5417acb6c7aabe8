/** The tag every resource and experiment a run creates carries, with the run's id: how cleanup and the guards know what is the run's own. */
export const RUN_ID_TAG = 'gameday:run-id';
