// The seed document's "Using from TypeScript → Monitoring Progress" is a fragment that uses a
// `swarm` and a `workflow` from the examples before it; the first lines below give it those (as
// the Basic Example makes them). From "await swarm.submitAndWait(" on, it is verbatim.
import { SwarmInterface, WorkflowBuilder, WorkflowType } from 'ai-orchestra';

const swarm = new SwarmInterface('http://localhost:8000');
const workflow = new WorkflowBuilder(WorkflowType.SEQUENTIAL)
  .addTask('task-1', 'backend', { task: 'Create API endpoint' })
  .addTask('task-2', 'qa', { task: 'Review API' })
  .build();

await swarm.submitAndWait(
  workflow,
  60000, // timeout
  (status) => {
    console.log(`Status: ${status.status}`);
    status.tasks.forEach(task => {
      console.log(`  ${task.agent_role}: ${task.status}`);
    });
  }
);
