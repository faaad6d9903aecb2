// The start page: who is asking, the portfolio (central IT) and the department's own view.
// A refused panel is null on its own; the others render.
import { graphql } from "relay-runtime";

export const dashboardQuery = graphql`
  query DashboardQuery {
    me {
      role
      tenant {
        id
        name
      }
    }
    portfolioDashboard {
      asOf
      measuresByRag {
        rag
        count
      }
      projectsByRag {
        rag
        count
      }
      budgetByYear {
        year
        planned
        approved
        spent
      }
      overdueMilestones(first: 5) {
        totalCount
        edges {
          node {
            id
            code
            title
            dueDate
            project {
              id
              title
            }
          }
        }
      }
    }
    departmentDashboard {
      orgUnit {
        id
        code
        name
      }
      measuresByRag {
        rag
        count
      }
    }
  }
`;
