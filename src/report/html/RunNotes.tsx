import type { Note, Warning } from '../types.js';
import { instant } from './format.js';

/** Warnings found before the run, lines of the run folder that could not be read, and notes not tied to a scenario. */
export function RunNotes({ warnings, notes, readProblems }: { warnings: Warning[]; notes: Note[]; readProblems: string[] }) {
  if (warnings.length === 0 && notes.length === 0 && readProblems.length === 0) return null;
  return (
    <section aria-labelledby="run-notes-title">
      <h2 id="run-notes-title">Notes and warnings</h2>
      {warnings.map((w, index) => (
        <div className="notice" key={`w${index}`}>
          <strong>⚠ Warning</strong> <code>
            {w.uri}:{w.line}
          </code>: {w.message}
        </div>
      ))}
      {readProblems.map((problem, index) => (
        <div className="notice" key={`r${index}`}>
          <strong>⚠ Not read</strong> {problem}
        </div>
      ))}
      {notes.length > 0 ? <NotesList notes={notes} /> : null}
    </section>
  );
}

/** What people in the room wrote down, with who and when. */
export function NotesList({ notes, numbered = false }: { notes: Note[]; numbered?: boolean }) {
  return (
    <ul className="notes-list">
      {notes.map((note, index) => (
        <li key={index}>
          {numbered ? <strong>✎{index + 1} </strong> : '✎ '}
          {note.text}{' '}
          <span className="who">
            — {note.by ?? 'someone in the room'}, {instant(note.at)}
          </span>
        </li>
      ))}
    </ul>
  );
}
