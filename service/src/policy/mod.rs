//! Every permission decision of digidash.
//!
//! [`rows`] decides which rows a viewer can see at all: it builds the SeaORM condition that
//! every list, loader, count and aggregate starts from. [`fields`] decides which restricted
//! fields of a visible row a viewer can read, and what it may change. [`reports`] decides who
//! reads which dashboard and council report. [`calendar`] decides who makes, sees and revokes
//! calendar feeds, and what a feed shows; [`notify`] as whom each e-mail digest is read;
//! [`webhooks`] who manages webhooks and what their deliveries carry. Resolvers ask; they
//! never look at roles themselves.

pub mod calendar;
pub mod fields;
pub mod notify;
pub mod reports;
pub mod rows;
pub mod webhooks;
pub mod writes;

pub use fields::{
    Held, can_edit, can_see_contact, can_see_financials, can_see_internal_notes, can_see_risks,
};
pub use rows::{FindVisible, Scoped};
