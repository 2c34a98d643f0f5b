/** `assign`: a handler takes the case or gives it to another handler of the department; the status may change with it. */
import type { ActionKindHandler } from './types.ts';

export const assign: ActionKindHandler = {
  input: 'assign',
  journal: 'assigned',
  residentSees: true,
  residentSeesBody: true,
  apply: ({ c, input }) => {
    const a = input.assignee!;
    // `assignee`/`previousAssignee` name the people; from/to (added by the runner) the states.
    return { patch: { assigneeId: a.id }, payload: { previousAssignee: c.assigneeId, assignee: a.id, toName: a.name } };
  },
};
