// The seed document's "Using from TypeScript → Pre-built Patterns", verbatim.
import { WorkflowPatterns, SwarmInterface } from 'ai-orchestra';

const swarm = new SwarmInterface('http://localhost:8000');

// Full-stack development pipeline
const workflow = WorkflowPatterns.fullStackDevelopment(
  'User authentication system'
);

const result = await workflow.submitAndWait(swarm);
