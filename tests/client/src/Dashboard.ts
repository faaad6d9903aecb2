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
      ...Dashboard_overdue
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

// The portfolio's overdue milestones, paged on the dashboard itself: it is a node, so Relay
// can refetch the next page through `node(id:)`.
export const overdueFragment = graphql`
  fragment Dashboard_overdue on PortfolioDashboard
  @refetchable(queryName: "DashboardOverduePaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 5 }
    cursor: { type: "String" }
  ) {
    overdueMilestones(first: $count, after: $cursor)
      @connection(key: "Dashboard_overdueMilestones") {
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
`;
