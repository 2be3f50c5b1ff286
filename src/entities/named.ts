import type { ClassType } from 'type-graphql';

/** type-graphql reads classes; ours are created at run time from the model, one per object type. */
export type AnyClass = ClassType<object>;

/** An empty class with a given name (the name shows in type-graphql's errors and in stack traces). */
export function namedClass(name: string): AnyClass {
  return { [name]: class {} }[name];
}
