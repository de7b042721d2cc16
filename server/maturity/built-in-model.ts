import type { MaturityModelInput } from "./model";

// The content of Centric's built-in maturity model, from PRODUCT.md (pillar 1)
// and the seed articles: the journey "from a smart web site with standardised
// self-service, through rising levels of integration, to totally personalised
// and memorable experiences" (seed 002), the attributes of advanced customer
// centricity listed there, customer-centric marketing (seed 001) and extreme
// personalisation (seed 000).
//
// Writing rules, so that two assessors score alike:
//  - each descriptor from level 2 on starts "All of level N-1, and": a level is
//    reached only when everything below it holds too;
//  - what a level adds is something an assessor can check (a document, a screen,
//    a report, a figure with its threshold), not an attitude;
//  - the thresholds on figures that Centric computes from the workspace's own
//    data are the same as the indicators' (indicators.ts), so the evidence from
//    data and the descriptor speak the same numbers.
//
// model.ts validates it (and exports it as `builtInModel`); docs/maturity-model.md
// shows it as tables, and a test keeps the two in step.

export const builtInModelContent = {
  key: "centric",
  name: "Centric customer-centricity model",
  version: 1,
  levels: [
    {
      level: 1,
      name: "Self-service web",
      summary:
        "A smart web site with standardised self-service: customers can find information and complete common tasks on their own, but everyone gets the same experience, each channel runs on its own, and the organisation seldom knows whom it is dealing with.",
    },
    {
      level: 2,
      name: "Recognised",
      summary:
        "The organisation recognises returning customers: the main channels feed one customer profile with history and interests, customers are grouped by behaviour and value, and simple triggered messages replace some mass sends.",
    },
    {
      level: 3,
      name: "Integrated",
      summary:
        "One integrated experience across channels: every channel shares the customer's profile and history, the customer never has to repeat themselves or compensate for the organisation's silos, and marketing and IT run customer data and journeys as one team.",
    },
    {
      level: 4,
      name: "Personalised",
      summary:
        "Right customer, right channel, right message, right time: journeys designed per segment run on behaviour, context and predicted value, and customer-level outcomes across channels steer budgets and goals.",
    },
    {
      level: 5,
      name: "Memorable",
      summary:
        "Totally personalised and memorable experiences that exceed the customer's expectations: each interaction adapts to the individual in the moment and learns from the outcome, and the organisation manages its customers as a portfolio of assets.",
    },
  ],
  dimensions: [
    {
      key: "self-service",
      name: "Digital presence and self-service",
      description:
        "Explicit, efficient processes that make sense to the customer: what customers come to do, they can do on their own, in as few steps as possible, in the channel they chose.",
      levels: [
        {
          level: 1,
          descriptor:
            "A web site or app where customers can find products, prices and contact details and complete at least one common task on their own (buy, book, or request a quote). The processes follow the organisation's internal steps; changes, returns and complaints need a phone call or an e-mail; nobody measures how many tasks are finished online.",
          evidence: [
            "At least one task can be completed online from start to end.",
            "Changing an order or making a complaint goes through a contact form or phone number.",
            "No report of online task completion exists.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and the customers' five most frequent tasks (by volume in the call centre and on the site) are listed, each can be completed online from start to end by a signed-in customer, and its status stays visible afterwards (order, booking, claim or case). The completion rate of at least the most frequent task is measured monthly.",
          evidence: [
            "A written list of the top five tasks, each with the address of its online flow.",
            "A signed-in customer sees their orders or cases with their status.",
            "A monthly report of the top task's completion rate.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and the same tasks and the same account (history, open orders, preferences) work in every digital channel the organisation runs (web, app, links in e-mails); a task started in one channel can be finished in another, or by an agent, without starting over; at least 50% of the contacts about the top five tasks are completed by self-service.",
          evidence: [
            "A basket or form started in the app is there on the web site and visible to the call centre.",
            "One sign-in for web and app.",
            "Self-service share of top-task contacts at or above 50% last quarter.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and the flows adapt to the customer: forms are pre-filled from what is known, the customer's likely next task is offered first, and start pages differ by segment. Each top task has a completion-rate target and is reviewed with customer feedback (task satisfaction or effort score) at least quarterly.",
          evidence: [
            "A returning customer's form shows their address and last choices filled in.",
            "The home page or app start screen differs between two segments.",
            "A quarterly review of completion and effort per top task, with actions.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and customers seldom need to ask: the organisation acts on likely needs before the customer does (proactive notices with the action inside them, one-click repeats), a hand-over from self-service to a person carries the whole context, at least 80% of top-task contacts are completed without a hand-over, and every top task meets its effort or satisfaction target.",
          evidence: [
            "Proactive messages (delivery delay, renewal, expiring card) that let the customer act in the message.",
            "An agent taking over a chat or call sees the customer's flow and where it stopped.",
            "At least 80% of top-task contacts completed without a hand-over.",
            "Every top task at or above its effort or satisfaction target.",
          ],
        },
      ],
    },
    {
      key: "recognition",
      name: "Customer recognition and data",
      description:
        "Knowing that someone is already a customer, with their interests and history, whichever way they come in: one profile per person, built from every channel's identifiers and events.",
      levels: [
        {
          level: 1,
          descriptor:
            "Customer records live in each system (web shop accounts, e-mail list, till or loyalty system, call-centre system) with no shared identifier. A returning customer is recognised only inside the system where they signed in, and staff cannot see what the customer did elsewhere. Fewer than 20% of customer profiles link two or more kinds of identifier (for example an account id and an e-mail address).",
          evidence: [
            "Three or more customer lists that cannot be joined on one key.",
            "Call-centre staff ask for details the customer already gave online.",
            "Spot checks find the same person under several records.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and the digital channels the organisation runs (web, app, e-mail) and at least one other channel send their events to one customer profile, under written identity rules (which identifiers join a profile, how duplicates merge). At least 20% of profiles link two or more kinds of identifier and at least 30% of events belong to a known customer rather than an anonymous visitor only.",
          evidence: [
            "A written identity-resolution rule set (user id, e-mail, phone, anonymous id).",
            "One customer's web and e-mail events on the same profile.",
            "Identity match rate at or above 20%; events with a resolved customer at or above 30%.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and every channel customers use (store and call centre included) feeds the profile; the staff who serve a customer see the profile, with history and interests, while they serve them; data quality (duplicates, events without a known customer) is checked at least monthly. At least 40% of profiles link two or more kinds of identifier and at least 50% of events belong to a known customer.",
          evidence: [
            "A store or call-centre screen that shows the customer's online history.",
            "A monthly data-quality report with duplicates found and merged.",
            "Identity match rate at or above 40%; events with a resolved customer at or above 50%.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and the profile holds interests, preferences and consents, inferred from behaviour as well as stated, updated from events within minutes so that the next interaction can use them; customers can see and correct what is held about them. At least 60% of profiles link two or more kinds of identifier and at least 70% of events belong to a known customer.",
          evidence: [
            "An event (a viewed product, a complaint) visible on the profile within minutes.",
            "A preference centre where a customer sees and changes interests and consents.",
            "Identity match rate at or above 60%; events with a resolved customer at or above 70%.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and recognition is near-universal and immediate: an anonymous visitor is joined to their profile as soon as any identifier appears (sign-in, e-mail click, loyalty card), merges and splits are recorded and can be undone, at least 80% of profiles link two or more kinds of identifier and at least 85% of events belong to a known customer.",
          evidence: [
            "A visitor's earlier anonymous browsing appears on their profile right after they sign in.",
            "A merge history showing who or what merged two profiles, with undo.",
            "Identity match rate at or above 80%; events with a resolved customer at or above 85%.",
          ],
        },
      ],
    },
    {
      key: "cross-channel",
      name: "Cross-channel integration",
      description:
        "One integrated experience across channels: no need for the customer to cope with, or compensate for, the supplier's own silos; success is judged per customer across channels, not per channel.",
      levels: [
        {
          level: 1,
          descriptor:
            "Each channel is run by its own team with its own tools, messages and measures (opens, likes, site conversion). Fewer than 20% of customers are known across two or more channels, and a customer who changes channel starts over (gives their details again, explains the problem again).",
          evidence: [
            "Separate reports per channel, none with a measure per customer.",
            "A complaint made by phone is not visible in the customer's web account.",
            "Customers known across two or more channels below 20%.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and at least 20% of customers are known across two or more channels; all of a customer's contacts in every channel can be listed in one place on request, even if assembled by hand or a day late; the channels share one campaign calendar so that messages do not clash.",
          evidence: [
            "A customer's contacts across channels produced on request for a sample of five customers.",
            "One campaign calendar that every channel team uses.",
            "Customers known across two or more channels at or above 20%.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and at least 40% of customers are known across two or more channels; one timeline per customer shows every channel's events within a day; a case, basket or conversation moves between channels without the customer repeating themselves; messages are coordinated across channels (a customer who just bought is not sent the offer for it).",
          evidence: [
            "A customer timeline with web, e-mail, store and call-centre events together.",
            "A suppression rule that stops an offer after a purchase in any channel.",
            "Customers known across two or more channels at or above 40%.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and at least 55% of customers are known across two or more channels; journeys are designed per segment across channels (each stage says which channel does what), and campaigns and journeys are judged per customer across channels (for example all purchases, in any channel, after an e-mail) rather than by one channel's figures.",
          evidence: [
            "A journey design whose stages use three or more channels.",
            "A campaign report that counts store and web purchases after an e-mail.",
            "Customers known across two or more channels at or above 55%.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and at least 70% of customers are known across two or more channels; the channel for each message is chosen per customer, from their behaviour, at the time of sending; the channel teams share one customer-level goal and budget; customer effort is measured across channels and meets its target.",
          evidence: [
            "Messages whose channel differs per customer in the same journey step.",
            "One goal and budget shared by the channel teams.",
            "Customers known across two or more channels at or above 70%.",
          ],
        },
      ],
    },
    {
      key: "personalisation",
      name: "Personalisation and timing",
      description:
        "Right customer, right channel, right message, right time, with the right mix of personal and impersonal service, using context, content and behavioural data; there is no average customer.",
      levels: [
        {
          level: 1,
          descriptor:
            "Everyone gets the same content and offers: campaigns go to the whole list or to simple demographic selections, on the organisation's calendar. Fewer than 20% of customers belong to a segment defined by behaviour or value, and no segment has a designed journey.",
          evidence: [
            "Campaign lists selected by age, region or the whole file.",
            "The same newsletter sent to every subscriber on a fixed day.",
            "No journey design for any segment.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and customers are grouped into segments by behaviour or value (not only demographics) that hold at least 20% of customers; at least 10% of segments have a published journey; some messages are triggered by the customer's own actions, such as a welcome after sign-up or a reminder after an abandoned basket.",
          evidence: [
            "A segment defined by purchases or visits, with its size.",
            "A welcome or abandoned-basket message sent automatically.",
            "Customers in at least one segment at or above 20%; segments with a published journey at or above 10%.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and segments hold at least 50% of customers; at least 25% of segments have a published journey with stages and touchpoints (channel, message, trigger, goal); frequency caps and quiet hours apply across channels; at least 5% of the customers who enter a journey reach its goal.",
          evidence: [
            "A published journey per segment with stages, touchpoints and goals.",
            "A frequency cap that counts messages from every channel.",
            "Customers in at least one segment at or above 50%; journey goal conversion at or above 5%.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and content and timing are chosen per customer from behaviour and context (recent events, preferred channel, predicted value); segments hold at least 70% of customers and at least 50% of segments have a published journey; at least 10% of the customers who enter a journey reach its goal; A/B tests decide between message variants, and journeys measured against a holdout prove a lift in conversion or revenue for at least 25% of the customers they measure.",
          evidence: [
            "Two customers in the same segment receive different content based on their recent events.",
            "An A/B test result that changed a journey.",
            "Segments with a published journey at or above 50%; journey goal conversion at or above 10%; customers in a journey with a proven lift at or above 25%.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and every interaction is personalised for the individual at that moment, including the choice between a personal contact and self-service; segments hold at least 90% of customers and at least 75% of segments have a published journey; at least 20% of the customers who enter a journey reach its goal, and at least 50% of the customers journeys measure are in one with a proven lift.",
          evidence: [
            "Offers and timing that differ per customer, chosen when the customer acts.",
            "A rule that sends high-value customers to a person and others to self-service, with its results.",
            "Customers in at least one segment at or above 90%; journey goal conversion at or above 20%; customers in a journey with a proven lift at or above 50%.",
          ],
        },
      ],
    },
    {
      key: "customer-value",
      name: "Customer value management",
      description:
        "Customers as assets in a portfolio: customer profitability and lifetime value are known and used to acquire high-value customers and keep them.",
      levels: [
        {
          level: 1,
          descriptor:
            "Performance is measured by product, channel and campaign sales. Nobody can say which customers are the most valuable, how many customers were lost last year, or what a customer is worth; there is no customer value model.",
          evidence: [
            "Management reports by product and channel only.",
            "No list of the most valuable customers exists.",
            "No customer value model has been fitted.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and customers are scored on recency, frequency and spend (RFM) or a similar value measure at least once a year (the value model is at most 365 days old), and the value groups (such as champions, at risk, lost) are reported to management with their sizes.",
          evidence: [
            "An RFM or value scoring run within the last year.",
            "A management report with the number of customers per value group.",
            "Value model age at most 365 days.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and a predictive lifetime-value model (such as BG/NBD with Gamma-Gamma) is refitted at least every 90 days and checked on a holdout period with at least 70% accuracy; each customer's predicted value and probability of still being active are visible to the staff who act on them.",
          evidence: [
            "A lifetime-value model fitted within the last 90 days.",
            "A holdout check: predicted against actual repeat purchases, at least 70% accurate.",
            "Predicted value and probability alive shown on a customer's page.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and value steers decisions: acquisition and retention budgets are set per value group, campaigns select customers by predicted value and churn risk, the model is refitted at least every 30 days with at least 80% holdout accuracy, the portfolio's predicted value is a management figure reviewed at least quarterly, and journeys raise predicted value measurably against their holdout for at least 25% of the customers they measure.",
          evidence: [
            "A retention budget split by value group.",
            "A segment or campaign selected on predicted value or probability alive.",
            "Value model age at most 30 days; holdout accuracy at or above 80%; customers in a journey that raised predicted value at or above 25%.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and customers are managed as a portfolio: customer profitability (value minus cost to serve) is known per segment, offers, service levels and retention efforts are decided per customer from expected value, the model is refitted at least every 7 days with at least 90% holdout accuracy, at least 50% of the customers journeys measure are in one that raised predicted value, and growth of the portfolio's value is a board-level goal.",
          evidence: [
            "Profitability per segment including cost to serve.",
            "The board's goals include the predicted value of the customer base.",
            "Value model age at most 7 days; holdout accuracy at or above 90%; customers in a journey that raised predicted value at or above 50%.",
          ],
        },
      ],
    },
    {
      key: "governance",
      name: "Governance and organisation",
      description:
        "Muscular cross-unit governance, so that the organisation appears integrated to the customer; marketing and IT working as one team, with the double-deep skills that needs.",
      levels: [
        {
          level: 1,
          descriptor:
            "Customer-facing decisions are made inside each unit or channel; marketing and IT work through requests and tickets; nobody owns the customer experience across units, and the organisation's customer centricity has never been assessed.",
          evidence: [
            "No named owner for the customer experience across units.",
            "Marketing requests to IT go through the general ticket queue.",
            "No earlier maturity assessment.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and a named executive owns customer centricity; a cross-unit group with at least marketing, IT and customer service meets at least quarterly on customer topics, with minutes; the organisation's maturity is assessed at least once a year.",
          evidence: [
            "A named executive sponsor in an organisation chart or mandate.",
            "Minutes of the last two quarterly cross-unit meetings.",
            "A maturity assessment within the last 12 months.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and marketing and IT work as one team on customer data and journeys (one backlog, shared goals, people with both marketing and data skills); every designed journey and every customer data source has a named owner; each maturity dimension has a target level, a date and initiatives with owners.",
          evidence: [
            "One backlog shared by marketing and IT for customer data and journeys.",
            "An owner named on every journey and data source.",
            "Target levels and dates per dimension, with initiatives and owners.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and customer-level outcomes (retention, customer value, customer effort) are in the goals and incentives of every unit that serves customers; a cross-unit board sets priorities and budgets for customer initiatives at least monthly; staff in customer-facing roles are trained in data, journey design and analytics.",
          evidence: [
            "Unit goals or bonus plans that include retention or customer value.",
            "Monthly cross-unit decisions on customer initiatives, with budgets.",
            "A training plan on customer data and journeys, with attendance.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and the organisation is designed around its customers: customer value and feedback drive the strategy and the investment plan, experiments and their results are shared across units, maturity is reassessed at least twice a year, and every dimension is at its target or has a funded initiative closing the gap.",
          evidence: [
            "A strategy or investment plan justified by customer value figures.",
            "Two assessments within the last 12 months.",
            "Every dimension on target or with a funded, owned initiative.",
          ],
        },
      ],
    },
    {
      key: "technology",
      name: "Technology leverage",
      description:
        "Smooth use of ever-improving consumer technology, automation and AI-powered personalisation, on customer data that flows between systems without manual steps.",
      levels: [
        {
          level: 1,
          descriptor:
            "Channel systems are bought and run separately (web shop, e-mail tool, till, call-centre system); data moves between them by manual export or nightly files, if at all; campaigns are selected and sent by hand.",
          evidence: [
            "Customer files exported from one tool and imported into another by hand.",
            "Every campaign is a manual send.",
            "No tracking of events across channels.",
          ],
        },
        {
          level: 2,
          descriptor:
            "All of level 1, and the main channels send events to one customer data store through an API or a scheduled import; at least one message flow (such as a welcome or abandoned-basket message) runs automatically; the site works on mobile and customers can sign in and pay with the means they already use (an existing account, a wallet).",
          evidence: [
            "A scheduled import or API feed into the customer data store.",
            "An automated message flow with its sending log.",
            "Sign-in with an existing account or wallet payment on the site.",
          ],
        },
        {
          level: 3,
          descriptor:
            "All of level 2, and every channel's events reach the customer data store within minutes through a documented tracking API; segments and journeys run on that data without copying it between tools; data quality (events without a known customer, late or failed deliveries) is monitored with alerts.",
          evidence: [
            "Tracking API documentation and write keys per source.",
            "An event sent in a test shows on the customer's timeline within minutes.",
            "An alert that fired on failed or late events, and its follow-up.",
          ],
        },
        {
          level: 4,
          descriptor:
            "All of level 3, and predictive models (customer value, churn risk, next best product) feed the tools that choose messages and are refitted on a schedule; most recurring campaigns are automated journeys rather than manual sends; a new consumer channel (a messaging app, a voice assistant) can be connected through the same API within a month.",
          evidence: [
            "A model refit schedule and the journeys that use its scores.",
            "More automated journey sends than manual sends last quarter.",
            "A channel connected within a month, with its dates.",
          ],
        },
        {
          level: 5,
          descriptor:
            "All of level 4, and AI chooses content, offer, channel and timing per customer in real time and learns from each outcome, with people setting goals and guard rails; experiments run continuously without manual set-up; new consumer technology is trialled with customers within a quarter of its appearance.",
          evidence: [
            "A decisioning engine that chooses per customer, with its guard rails written down.",
            "Continuous experiments with automatic allocation to the winning variant.",
            "A trial of a new consumer technology in the last year.",
          ],
        },
      ],
    },
  ],
} satisfies MaturityModelInput;
