// The detail page of a project: budget with its lines, milestones, sub-projects; and the
// budget change whose payload brings the project's new budget into the store.
import { graphql } from "relay-runtime";

export const projectDetailQuery = graphql`
  query ProjectDetailQuery($id: ID!) {
    project(id: $id) {
      id
      code
      title
      startDate
      dueDate
      viewerCanSeeFinancials
      ...ProjectDetail_budget
      milestones(first: 50) {
        edges {
          node {
            id
            code
            title
            dueDate
            isAchieved
          }
        }
      }
      subProjects(first: 50) {
        edges {
          node {
            id
            ...WorkItemStatus_item
          }
        }
      }
      ...WorkItemStatus_item
    }
  }
`;

export const projectBudgetFragment = graphql`
  fragment ProjectDetail_budget on Project {
    budget {
      planned
      approved
      spent
    }
    budgetLines {
      id
      version
      year
      source
      planned
      approved
      spent
    }
  }
`;

export const updateBudgetLineMutation = graphql`
  mutation ProjectDetailUpdateBudgetLineMutation($input: UpdateBudgetLineInput!) {
    updateBudgetLine(input: $input) {
      budgetLine {
        id
        version
        planned
      }
      project {
        id
        ...ProjectDetail_budget
      }
    }
  }
`;
