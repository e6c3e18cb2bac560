// The seed document's "Using from TypeScript → Basic Example", verbatim.
import { SwarmInterface, WorkflowBuilder, WorkflowType } from 'ai-orchestra';

// Create client
const swarm = new SwarmInterface('http://localhost:8000');

// Build workflow
const workflow = new WorkflowBuilder(WorkflowType.SEQUENTIAL)
  .addTask('task-1', 'backend', { task: 'Create API endpoint' })
  .addTask('task-2', 'qa', { task: 'Review API' })
  .build();

// Submit and wait for completion
const result = await swarm.submitAndWait(workflow);

console.log(result.status); // 'completed'
