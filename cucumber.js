// Cucumber profiles. The game-day harness (runGameDay) drives cucumber through its
// runCucumber API with these settings; `npx cucumber-js` uses them too.
export default {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
  format: ['progress'],
};
