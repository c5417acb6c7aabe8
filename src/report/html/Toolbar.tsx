/**
 * Filter and fold buttons. Hidden in the markup and shown by the script:
 * without scripts they would do nothing, and the page works without them.
 */
export function Toolbar() {
  return (
    <div className="toolbar no-print" id="toolbar" role="toolbar" aria-label="Scenario filters" hidden>
      <button type="button" data-filter="all" aria-pressed="true">
        All scenarios
      </button>
      <button type="button" data-filter="failed" aria-pressed="false">
        ✘ Failed only
      </button>
      <button type="button" data-fold="open">
        Unfold all
      </button>
      <button type="button" data-fold="close">
        Fold all
      </button>
      <span className="count" id="shown-count" aria-live="polite" />
    </div>
  );
}
