# ruff: noqa: E501
"""Generate the bundled sample company, Northwind Labs (fictional), into datasets/sample_company.

Every skill, role, person, offer and learning item here is invented for this project; nothing is
copied from ESCO, O*NET or any catalog. A fixed seed makes the output byte-for-byte reproducible:

    .venv/bin/python datasets/generate_sample.py            # rewrite datasets/sample_company
    .venv/bin/python datasets/generate_sample.py OUT_DIR    # write somewhere else

What the data is meant to exercise:
- a skill hierarchy with broader / related / prerequisite relations (acyclic prerequisites);
- job families with ladders (seniority 1..5) and lateral moves that share skills; a few roles
  carry only a description, so their profile must be inferred;
- employees whose skills follow their role and tenure, with noise, above-role strengths, juniors
  strong in new technology (reverse mentoring) and some known only by an `about` text;
- dated role histories whose moves follow skill overlap and seniority (next-role ground truth);
- mentor offers with capacities and modes, learning items in every modality, and mentorship and
  content feedback for the evaluation protocols.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from skillgraph.data.company import load_company, write_company
from skillgraph.data.schema import (
    Employee,
    Evidence,
    Feedback,
    FeedbackVerdict,
    LearningItem,
    MentorMode,
    MentorOffer,
    Modality,
    Records,
    RelationKind,
    Role,
    RoleSpell,
    Skill,
    SkillKind,
    SkillLevel,
    SkillRelation,
    SkillRequirement,
    SkillTaught,
    TargetKind,
)

SEED = 20240917
COMPANY = "Northwind Labs"
TODAY = date(2025, 6, 30)
FOUNDED = date(2009, 3, 1)
OUT_DIR = Path(__file__).resolve().parent / "sample_company"
SKILLS = """
software-engineering | Software engineering | g | | Software development; Programming | Designing, building, testing and running software systems.
backend-development | Backend development | g | software-engineering | Server-side development | Building the services, APIs and data stores behind an application.
python | Python | t | backend-development | Python 3; Python programming | Writing readable, tested Python for services, scripts and data work.
java | Java | t | backend-development | Java SE; JVM development | Building robust services on the Java platform and its standard library.
go | Go | t | backend-development | Golang | Writing small, concurrent, statically typed services in Go.
nodejs | Node.js | t | backend-development | Node; Server-side JavaScript | Running JavaScript on the server with Node.js and its package ecosystem.
rust | Rust | t | backend-development | Rust programming | Writing memory-safe, high-performance systems code in Rust.
rest-api-design | REST API design | s | backend-development | HTTP API design; RESTful services | Designing resource-oriented HTTP APIs with clear contracts, versioning and error handling.
graphql | GraphQL | t | backend-development | GraphQL APIs | Designing typed GraphQL schemas and serving them with efficient resolvers.
relational-databases | Relational databases | t | backend-development | PostgreSQL; MySQL; RDBMS | Designing schemas, indexes and transactions in relational databases such as PostgreSQL.
nosql-databases | NoSQL databases | t | backend-development | MongoDB; DynamoDB; Document stores | Choosing and modelling data for document, key-value and wide-column stores.
django | Django | t | backend-development | Django framework | Building web applications and admin tools with the Django framework.
fastapi | FastAPI | t | backend-development | FastAPI framework | Building typed, asynchronous Python APIs with FastAPI and Pydantic.
spring-boot | Spring Boot | t | backend-development | Spring framework | Building and configuring Java services with Spring Boot.
microservices | Microservices architecture | s | backend-development | Service-oriented architecture | Splitting a system into independently deployable services with clear boundaries.
message-queues | Message queues and event streaming | t | backend-development | Kafka; RabbitMQ; Event-driven architecture | Connecting services asynchronously through queues, topics and events.
caching | Caching | s | backend-development | Redis; Cache design | Speeding up systems with well-invalidated caches at the right layer.
concurrency | Concurrency and async programming | s | backend-development | Async programming; Multithreading | Writing correct code that does many things at once with threads, processes or async I/O.
frontend-development | Frontend development | g | software-engineering | Client-side development; Web development | Building the user interfaces people use in the browser.
html-css | HTML and CSS | t | frontend-development | HTML5; CSS3; Semantic markup | Structuring and styling web pages with semantic HTML and modern CSS.
javascript | JavaScript | t | frontend-development | ECMAScript; JS | Programming interactive web pages in modern JavaScript.
typescript | TypeScript | t | frontend-development | TS | Adding static types to JavaScript code bases with TypeScript.
react | React | t | frontend-development | React.js; ReactJS | Building component-based user interfaces with React and hooks.
vuejs | Vue.js | t | frontend-development | Vue | Building reactive user interfaces with the Vue.js framework.
nextjs | Next.js | t | frontend-development | Next | Building server-rendered and static React applications with Next.js.
state-management | Frontend state management | s | frontend-development | Redux; Client state | Keeping client-side application state predictable with stores and data-fetching caches.
web-accessibility | Web accessibility | s | frontend-development | WCAG; a11y | Building web interfaces that everyone can use, following WCAG.
web-performance | Web performance optimisation | s | frontend-development | Core Web Vitals; Page speed | Making pages load and respond fast by measuring and fixing bottlenecks.
responsive-design | Responsive web design | s | frontend-development | Mobile-first CSS | Making layouts work well on every screen size.
mobile-development | Mobile development | g | software-engineering | App development | Building native and cross-platform apps for phones and tablets.
swift-ios | iOS development with Swift | t | mobile-development | Swift; iOS; SwiftUI | Building native iPhone and iPad apps in Swift.
kotlin-android | Android development with Kotlin | t | mobile-development | Kotlin; Android; Jetpack Compose | Building native Android apps in Kotlin.
react-native | React Native | t | mobile-development | Cross-platform mobile | Building iOS and Android apps from one React code base.
mobile-release | Mobile release management | s | mobile-development | App Store releases; Play Store releases | Shipping mobile apps through app store review, phased rollouts and crash monitoring.
engineering-practices | Engineering practices | g | software-engineering | Software craftsmanship | The habits and methods that keep software correct and maintainable.
git | Git version control | t | engineering-practices | Git; Version control | Tracking changes, branching and collaborating on code with Git.
code-review | Code review | s | engineering-practices | Pull request review; Peer review | Reviewing changes for correctness, clarity and design, and giving useful comments.
unit-testing | Unit testing | s | engineering-practices | Test-driven development; TDD | Writing fast, focused automated tests for small units of code.
test-automation | Test automation | s | engineering-practices | End-to-end testing; QA automation | Automating integration and end-to-end tests that guard releases.
ci-cd | Continuous integration and delivery | s | engineering-practices | CI/CD; Build pipelines | Automating build, test and deployment so every change can ship safely.
software-architecture | Software architecture | s | engineering-practices | Application architecture | Structuring a code base into modules and layers that can change independently.
system-design | Distributed system design | s | engineering-practices | System design; Scalability | Designing systems that stay reliable and fast as load and data grow.
design-patterns | Design patterns | k | engineering-practices | Object-oriented design; SOLID | Applying proven design patterns and principles to recurring code problems.
debugging | Debugging and troubleshooting | s | engineering-practices | Root-cause analysis; Troubleshooting | Finding the cause of a failure quickly with logs, debuggers and hypotheses.
refactoring | Refactoring legacy code | s | engineering-practices | Legacy code; Technical debt | Improving the structure of existing code safely without changing its behaviour.
technical-writing | Technical writing | s | engineering-practices | Documentation; Docs as code | Writing clear documentation, design docs and guides for technical readers.
algorithms | Algorithms and data structures | k | engineering-practices | Data structures; Complexity analysis | Choosing the right data structure and algorithm and reasoning about their cost.
data-and-analytics | Data and analytics | g | | Data | Turning data into insight, products and decisions.
data-analysis | Data analysis | g | data-and-analytics | Analytics | Answering business questions with data.
sql | SQL | t | data-analysis | Structured Query Language; Analytical SQL | Querying, joining and aggregating relational data with SQL.
spreadsheets | Spreadsheet modelling | t | data-analysis | Excel; Google Sheets | Building reliable spreadsheet models with formulas, pivots and lookups.
data-visualization | Data visualization | s | data-analysis | Charts; Dashboards | Turning numbers into clear, honest charts and dashboards.
tableau | Tableau | t | data-analysis | Tableau Desktop | Building interactive dashboards and data sources in Tableau.
power-bi | Power BI | t | data-analysis | Microsoft Power BI; DAX | Modelling data and publishing reports with Power BI and DAX.
statistics | Statistics | k | data-analysis | Statistical analysis; Inferential statistics | Describing data and drawing sound conclusions from samples.
ab-testing | A/B testing and experimentation | s | data-analysis | Online experiments; Split testing | Designing, running and reading controlled experiments on products.
exploratory-analysis | Exploratory data analysis | s | data-analysis | EDA | Getting to know a new data set: its shape, quality and surprises.
pandas | Pandas | t | data-analysis | pandas library; DataFrames | Cleaning, joining and reshaping tabular data with the pandas library.
numpy | NumPy | t | data-analysis | Numerical Python | Fast array computing in Python with NumPy.
r-language | R | t | data-analysis | R programming; tidyverse | Analysing data and building statistical models in R.
data-storytelling | Data storytelling | s | data-analysis | Insight communication | Building a narrative around data that leads an audience to a decision.
product-analytics | Product analytics | s | data-analysis | Amplitude; Funnel analysis | Measuring how people use a product with events, funnels and cohorts.
data-engineering | Data engineering | g | data-and-analytics | Data platform | Building the pipelines and stores that move and shape data.
etl-pipelines | ETL pipelines | s | data-engineering | ELT; Data pipelines | Extracting, transforming and loading data reliably between systems.
apache-spark | Apache Spark | t | data-engineering | PySpark; Spark SQL | Processing large data sets in parallel with Apache Spark.
airflow | Workflow orchestration with Airflow | t | data-engineering | Apache Airflow; DAG scheduling | Scheduling and monitoring data pipelines as code with Airflow.
data-modeling | Data modelling | s | data-engineering | Dimensional modelling; Star schema | Designing tables and relationships that make data easy and fast to query.
data-warehousing | Data warehousing | t | data-engineering | Snowflake; BigQuery; Redshift | Building and running a cloud data warehouse for analytics.
dbt | dbt | t | data-engineering | data build tool; Analytics engineering | Transforming warehouse data with tested, version-controlled SQL models in dbt.
stream-processing | Stream processing | s | data-engineering | Kafka Streams; Apache Flink; Real-time data | Processing events continuously as they arrive instead of in batches.
data-quality | Data quality | s | data-engineering | Data observability; Data testing | Detecting and preventing wrong, late or missing data with tests and monitors.
data-governance | Data governance | s | data-engineering | Data catalog; Data stewardship | Defining ownership, definitions and access rules for an organisation's data.
machine-learning-ai | Machine learning and AI | g | data-and-analytics | AI; Artificial intelligence | Building systems that learn from data.
machine-learning | Machine learning | s | machine-learning-ai | ML; Predictive modelling | Training and evaluating models that learn patterns from data to make predictions.
linear-algebra | Mathematics for machine learning | k | machine-learning-ai | Linear algebra; Calculus for ML | The linear algebra, calculus and probability behind machine learning methods.
scikit-learn | scikit-learn | t | machine-learning-ai | sklearn | Building classical machine learning pipelines in Python with scikit-learn.
feature-engineering | Feature engineering | s | machine-learning-ai | Feature design | Turning raw data into informative inputs for machine learning models.
model-evaluation | Model evaluation | s | machine-learning-ai | Model validation; Cross-validation | Measuring how well a model will work on new data, and for whom it fails.
deep-learning | Deep learning | s | machine-learning-ai | Neural networks | Training multi-layer neural networks for perception, language and prediction.
pytorch | PyTorch | t | machine-learning-ai | Torch | Building and training neural networks with PyTorch.
tensorflow | TensorFlow | t | machine-learning-ai | Keras | Building and training neural networks with TensorFlow and Keras.
nlp | Natural language processing | s | machine-learning-ai | NLP; Text mining | Making computers understand and generate human language.
computer-vision | Computer vision | s | machine-learning-ai | Image recognition | Teaching models to interpret images and video.
mlops | MLOps | s | machine-learning-ai | Model deployment; ML engineering | Deploying, monitoring and retraining machine learning models in production.
llm-applications | LLM application development | s | machine-learning-ai | Generative AI; RAG; Large language models | Building products on large language models with retrieval, tools and evaluation.
prompt-engineering | Prompt engineering | s | machine-learning-ai | Prompt design; AI assistants | Writing and testing prompts that get reliable results from generative AI models.
recommender-systems | Recommender systems | s | machine-learning-ai | Personalisation; Recommendation engines | Ranking items for people from behaviour and content signals.
time-series-forecasting | Time series forecasting | s | machine-learning-ai | Demand forecasting | Predicting future values of a series from its past and its drivers.
cloud-infrastructure | Cloud and infrastructure | g | | Infrastructure; DevOps | Running software reliably on servers, networks and cloud platforms.
linux | Linux administration | t | cloud-infrastructure | Linux; Unix | Operating, configuring and troubleshooting Linux servers.
shell-scripting | Shell scripting | t | cloud-infrastructure | Bash; Shell | Automating everyday tasks with Bash scripts and command-line tools.
networking | Computer networking | k | cloud-infrastructure | TCP/IP; DNS; HTTP | How data moves between machines: TCP/IP, DNS, HTTP, load balancers.
aws | Amazon Web Services | t | cloud-infrastructure | AWS; EC2; S3 | Building and running systems on Amazon Web Services.
azure | Microsoft Azure | t | cloud-infrastructure | Azure cloud | Building and running systems on Microsoft Azure.
gcp | Google Cloud Platform | t | cloud-infrastructure | GCP; Google Cloud | Building and running systems on Google Cloud Platform.
docker | Docker and containers | t | cloud-infrastructure | Containers; Dockerfile | Packaging applications into portable containers with Docker.
kubernetes | Kubernetes | t | cloud-infrastructure | K8s; Container orchestration | Deploying and operating containerised workloads on Kubernetes.
terraform | Infrastructure as code | t | cloud-infrastructure | Terraform; IaC | Defining cloud infrastructure in versioned code with Terraform.
observability | Observability and monitoring | s | cloud-infrastructure | Prometheus; Grafana; Logging and tracing | Knowing what a system is doing from its metrics, logs and traces.
sre-practices | Site reliability engineering | s | cloud-infrastructure | SRE; SLOs; Error budgets | Running services to explicit reliability targets with SLOs and error budgets.
incident-management | Incident management | s | cloud-infrastructure | On-call; Postmortems | Leading the response to outages and learning from them in blameless postmortems.
serverless | Serverless computing | t | cloud-infrastructure | AWS Lambda; Functions as a service | Building event-driven systems from managed functions and services.
security | Information security | g | | Cybersecurity; InfoSec | Protecting systems and data from attack and misuse.
secure-coding | Secure coding | s | security | Secure development | Writing code that avoids common vulnerabilities such as injection and broken access control.
application-security | Application security | s | security | AppSec; OWASP Top 10 | Finding and fixing vulnerabilities in applications across their life cycle.
threat-modeling | Threat modelling | s | security | STRIDE; Attack trees | Systematically finding what could go wrong with a design before it is built.
identity-access-management | Identity and access management | s | security | IAM; SSO; OAuth | Controlling who can access what with identities, roles, SSO and OAuth.
network-security | Network security | s | security | Firewalls; Zero trust | Protecting networks with segmentation, firewalls and zero-trust access.
security-compliance | Security compliance | k | security | ISO 27001; SOC 2 | Meeting security standards such as ISO 27001 and SOC 2 with controls and evidence.
penetration-testing | Penetration testing | s | security | Pentesting; Ethical hacking | Attacking your own systems the way an adversary would, to find weaknesses first.
cryptography | Applied cryptography | k | security | Encryption; TLS | Using encryption, hashing and signatures correctly in real systems.
security-incident-response | Security incident response | s | security | CSIRT; Forensics | Detecting, containing and investigating security incidents.
cloud-security | Cloud security | s | security | Cloud security posture | Securing cloud accounts, workloads and data with least privilege and guardrails.
data-privacy | Data privacy | k | security | GDPR; Privacy by design | Handling personal data lawfully and respectfully, following GDPR.
product-management | Product management | g | | Product | Deciding what to build, for whom and why, and getting it shipped.
product-discovery | Product discovery | s | product-management | Problem discovery; Opportunity assessment | Finding out which problems are worth solving before committing to a solution.
product-strategy | Product strategy | s | product-management | Product vision | Choosing where a product should go and how it will win.
roadmapping | Roadmapping | s | product-management | Product roadmap | Turning strategy into a sequenced, communicable plan of outcomes.
user-stories | Writing requirements and user stories | s | product-management | Product requirements; PRDs; Acceptance criteria | Describing what to build clearly enough for a team to deliver it.
prioritization | Prioritisation | s | product-management | RICE; Backlog prioritisation | Deciding what to do first by weighing value, effort and risk.
go-to-market | Go-to-market planning | s | product-management | Product launch; GTM | Planning how a product reaches its customers: positioning, channels, launch.
pricing | Pricing and packaging | s | product-management | Monetisation | Setting prices and plans that capture value and fit customer segments.
customer-interviews | Customer interviews | s | product-management | Customer research; Jobs to be done | Learning about customers' needs through well-run conversations.
product-metrics | Product metrics | s | product-management | KPIs; North star metric | Choosing and tracking the numbers that show whether a product works.
market-research | Market research | s | product-management | Competitive analysis | Sizing markets and understanding competitors and trends.
technical-product-management | Technical product management | s | product-management | Platform product management; API products | Managing platform and API products whose users are developers.
design | Design | g | | User experience; UX | Shaping how products look, feel and work for people.
user-research | User research | s | design | UX research; Design research | Understanding users' needs and behaviour through interviews, studies and data.
usability-testing | Usability testing | s | design | User testing | Watching people use a design to find where it confuses them.
interaction-design | Interaction design | s | design | IxD; UX design | Designing how people move through a product and what happens when they act.
visual-design | Visual design | s | design | UI design; Graphic design | Using layout, colour and typography to make interfaces clear and attractive.
prototyping | Prototyping | s | design | Wireframing; Mock-ups | Building quick, testable versions of an idea, from paper sketches to clickable flows.
figma | Figma | t | design | Figma design tool | Designing, prototyping and collaborating on interfaces in Figma.
design-systems | Design systems | s | design | Component libraries; Design tokens | Building shared components and rules that keep products consistent.
information-architecture | Information architecture | s | design | Content structure; Navigation design | Organising content and navigation so people can find what they need.
inclusive-design | Inclusive design | s | design | Accessible design | Designing for the full range of people's abilities and situations.
ux-writing | UX writing | s | design | Content design; Microcopy | Writing the words in an interface so they guide and reassure.
service-design | Service design | s | design | Journey mapping; Service blueprints | Designing end-to-end services across channels, people and systems.
design-thinking | Design thinking | s | design | Design sprints | Solving problems with empathy, divergent ideas and quick experiments.
sales-customer | Sales and customer success | g | | Sales; Revenue | Winning, keeping and growing customers.
prospecting | Prospecting | s | sales-customer | Lead generation; Outbound sales | Finding and contacting potential customers who fit the ideal profile.
discovery-calls | Sales discovery | s | sales-customer | Discovery calls; Qualification | Uncovering a prospect's needs, budget and decision process.
negotiation | Negotiation | s | sales-customer | Deal negotiation | Reaching agreements that both sides can commit to.
solution-selling | Solution selling | s | sales-customer | Consultative selling; Value selling | Selling by diagnosing a customer's problem and showing how the product solves it.
account-management | Account management | s | sales-customer | Key account management | Growing long-term relationships and revenue with existing customers.
crm-salesforce | CRM administration | t | sales-customer | Salesforce; HubSpot CRM | Keeping customer data and pipelines accurate in a CRM such as Salesforce.
sales-forecasting | Sales forecasting | s | sales-customer | Pipeline management; Revenue forecasting | Predicting bookings from the pipeline and managing deals to plan.
deal-closing | Closing deals | s | sales-customer | Contracting; Closing | Getting commitment and signatures, and handling last-minute objections.
customer-success | Customer success | s | sales-customer | Customer onboarding; Renewals | Helping customers get value after the sale so they renew and grow.
sales-presentations | Sales presentations and demos | s | sales-customer | Product demos | Presenting a product so that a buyer sees their own problem solved.
partnerships | Partnership development | s | sales-customer | Channel partnerships; Alliances | Building partnerships that bring customers through other companies.
territory-planning | Territory planning | s | sales-customer | Account planning | Dividing markets and planning coverage so every good account gets attention.
technical-presales | Technical pre-sales | s | sales-customer | Solution engineering; Sales engineering | Answering technical questions, running proofs of concept and designing solutions in a sale.
marketing | Marketing | g | | Growth marketing | Attracting and convincing customers.
content-marketing | Content marketing | s | marketing | Editorial marketing | Attracting customers with useful articles, guides and videos.
seo | Search engine optimisation | s | marketing | SEO | Helping people find a site through search engines.
marketing-analytics | Marketing analytics | s | marketing | Attribution; Campaign analytics | Measuring which campaigns and channels bring customers.
brand-positioning | Brand positioning | s | marketing | Messaging; Value proposition | Defining what a brand stands for and how it talks about itself.
people-hr | People and HR | g | | Human resources; HR | Hiring, developing and caring for the people of a company.
recruiting | Recruiting | s | people-hr | Sourcing; Talent acquisition | Finding, attracting and engaging candidates for open roles.
interviewing | Structured interviewing | s | people-hr | Interview design; Competency interviews | Running fair, consistent interviews that predict performance.
employee-relations | Employee relations | s | people-hr | Workplace investigations; Grievances | Handling workplace concerns, conflicts and investigations fairly.
compensation-benefits | Compensation and benefits | s | people-hr | Total rewards; Pay bands | Designing pay, bonus and benefits that are fair and competitive.
performance-management | Performance management | s | people-hr | Performance reviews; Calibration | Running goal setting, reviews and calibration that help people grow.
learning-design | Learning experience design | s | people-hr | Instructional design; L&D | Designing training and learning journeys that change what people can do.
employment-law | Employment law | k | people-hr | Labour law | The rules on contracts, working time, dismissal and discrimination at work.
hr-analytics | People analytics | s | people-hr | HR analytics; Workforce analytics | Answering questions about hiring, retention and engagement with data.
onboarding | Employee onboarding | s | people-hr | New hire onboarding | Helping new hires become productive and feel at home quickly.
organizational-development | Organisational development | s | people-hr | Org design | Shaping structures, culture and processes so an organisation works better.
workforce-planning | Workforce planning | s | people-hr | Headcount planning | Planning the people and skills a company needs over the next years.
diversity-inclusion | Diversity, equity and inclusion | s | people-hr | DEI; Inclusion | Building a workplace where people of every background can do their best work.
hris | HR information systems | t | people-hr | Workday; HRIS | Running the HR system of record and its data, workflows and reports.
leadership | Leadership and management | g | | Management | Leading people and teams to results.
people-management | People management | s | leadership | Line management; Team management | Leading a team day to day: goals, one-on-ones, growth and performance.
coaching | Coaching | s | leadership | Coaching conversations | Helping someone find their own answers through questions and reflection.
giving-feedback | Giving and receiving feedback | s | leadership | Feedback conversations | Giving specific, timely feedback and taking it well.
delegation | Delegation | s | leadership | Empowerment | Handing over work with the right context, authority and support.
hiring | Hiring and team building | s | leadership | Team building; Hiring managers | Designing roles, hiring well and shaping a team that works together.
conflict-resolution | Conflict resolution | s | leadership | Mediation | Turning disagreements into decisions without damaging relationships.
strategic-thinking | Strategic thinking | s | leadership | Strategy | Seeing the bigger picture and choosing where to focus for the long term.
change-management | Change management | s | leadership | Organisational change | Leading people through changes in process, structure or tools.
mentoring | Mentoring | s | leadership | Mentorship | Sharing experience to help a less experienced colleague grow.
decision-making | Decision making | s | leadership | Judgement | Making timely, well-reasoned decisions with incomplete information.
okrs | OKRs and goal setting | s | leadership | Objectives and key results | Setting ambitious, measurable goals and aligning teams on them.
finance | Finance and accounting | g | | Accounting | Recording, planning and steering the money of a company.
financial-accounting | Financial accounting | k | finance | Bookkeeping; General ledger | Recording transactions and closing the books under accounting standards.
management-accounting | Management accounting | k | finance | Cost accounting | Analysing costs and margins to support internal decisions.
financial-reporting | Financial reporting | k | finance | IFRS; Statutory reporting | Preparing financial statements and reports under IFRS or GAAP.
financial-modeling | Financial modelling | s | finance | Three-statement model; Valuation | Building spreadsheet models of a business to test plans and valuations.
budgeting-forecasting | Budgeting and forecasting | s | finance | Annual budget; Rolling forecast | Building the budget and keeping a rolling forecast of results.
fpa | Financial planning and analysis | s | finance | FP&A; Business partnering | Analysing performance against plan and advising the business on decisions.
variance-analysis | Variance analysis | s | finance | Budget vs actual | Explaining the gap between planned and actual results.
tax-compliance | Tax compliance | k | finance | Corporate tax; VAT | Meeting corporate income tax and VAT obligations across countries.
treasury | Treasury and cash management | s | finance | Cash flow management | Managing cash, liquidity, banking and currency exposure.
audit | Audit and internal controls | s | finance | Internal controls; SOX | Designing controls and working with auditors to show the numbers are right.
erp-systems | ERP systems | t | finance | SAP; NetSuite | Running finance processes in an enterprise resource planning system.
revenue-recognition | Revenue recognition | k | finance | IFRS 15; ASC 606 | Recognising revenue from contracts at the right time and amount.
procurement | Procurement | s | finance | Purchasing; Vendor management | Buying goods and services well and managing suppliers.
communication-collaboration | Communication and collaboration | g | | Soft skills; Interpersonal skills | Working well with others through clear communication.
written-communication | Written communication | s | communication-collaboration | Business writing | Writing emails, documents and messages that are clear and brief.
presentation-skills | Presentation skills | s | communication-collaboration | Public speaking | Presenting ideas to an audience with confidence and structure.
facilitation | Facilitation | s | communication-collaboration | Workshop facilitation; Meeting facilitation | Running meetings and workshops that reach an outcome.
stakeholder-management | Stakeholder management | s | communication-collaboration | Stakeholder communication | Keeping the people affected by your work informed, aligned and involved.
cross-functional-collaboration | Cross-functional collaboration | s | communication-collaboration | Teamwork | Working effectively with colleagues from other disciplines.
remote-collaboration | Remote collaboration | s | communication-collaboration | Asynchronous work; Distributed teams | Working well across time zones with written, asynchronous habits.
project-delivery | Project and delivery management | g | | Project management | Planning and steering work to deliver on time.
agile-scrum | Agile and Scrum | k | project-delivery | Scrum; Agile methods | Delivering in short iterations with Scrum ceremonies and roles.
kanban | Kanban | k | project-delivery | Lean flow | Managing flow of work with visual boards and work-in-progress limits.
project-planning | Project planning | s | project-delivery | Scheduling; Work breakdown | Breaking work down, estimating and scheduling it.
risk-management | Risk management | s | project-delivery | Project risk; RAID log | Spotting, ranking and reducing the risks to a plan.
jira | Jira | t | project-delivery | Atlassian Jira; Issue tracking | Tracking work, sprints and releases in Jira.
languages | Languages | g | | Foreign languages | Speaking and writing languages other people use at work.
english | English | l | languages | English language | Working in English, in speech and in writing.
german | German | l | languages | Deutsch | Working in German, in speech and in writing.
spanish | Spanish | l | languages | Español | Working in Spanish, in speech and in writing.
french | French | l | languages | Français | Working in French, in speech and in writing.
hindi | Hindi | l | languages | हिन्दी | Working in Hindi, in speech and in writing.
portuguese | Portuguese | l | languages | Português | Working in Portuguese, in speech and in writing.
"""

KIND_CODES = {
    "g": SkillKind.GROUP,
    "s": SkillKind.SKILL,
    "k": SkillKind.KNOWLEDGE,
    "t": SkillKind.TECHNOLOGY,
    "l": SkillKind.LANGUAGE,
}

# (before, after): `before` must be learned before `after`.
PREREQUISITES = """
python > numpy; numpy > pandas; python > django; python > fastapi; python > scikit-learn
pandas > feature-engineering; pandas > machine-learning; statistics > machine-learning
linear-algebra > machine-learning; machine-learning > scikit-learn; machine-learning > model-evaluation
machine-learning > deep-learning; deep-learning > pytorch; deep-learning > tensorflow
deep-learning > nlp; deep-learning > computer-vision; machine-learning > recommender-systems
statistics > time-series-forecasting; machine-learning > mlops; docker > mlops
python > llm-applications; prompt-engineering > llm-applications; rest-api-design > llm-applications
sql > data-modeling; data-modeling > data-warehousing; sql > dbt; data-warehousing > dbt
sql > etl-pipelines; python > airflow; etl-pipelines > airflow; etl-pipelines > apache-spark
python > apache-spark; message-queues > stream-processing; etl-pipelines > data-quality
data-quality > data-governance; statistics > ab-testing; sql > product-analytics
data-visualization > tableau; data-visualization > power-bi; data-visualization > data-storytelling
sql > exploratory-analysis; statistics > exploratory-analysis
html-css > responsive-design; html-css > web-accessibility; javascript > typescript
javascript > react; javascript > vuejs; javascript > nodejs; react > state-management
react > nextjs; react > react-native; javascript > web-performance; html-css > javascript
java > spring-boot; rest-api-design > graphql; rest-api-design > microservices
design-patterns > software-architecture; software-architecture > system-design
relational-databases > system-design; caching > system-design; microservices > system-design
git > ci-cd; unit-testing > ci-cd; unit-testing > test-automation; sql > relational-databases
linux > shell-scripting; linux > docker; docker > kubernetes; networking > kubernetes
aws > serverless; aws > terraform; linux > observability; observability > sre-practices
incident-management > sre-practices; secure-coding > application-security
application-security > penetration-testing; application-security > threat-modeling
networking > network-security; identity-access-management > cloud-security; aws > cloud-security
incident-management > security-incident-response; cryptography > identity-access-management
customer-interviews > product-discovery; product-discovery > product-strategy
prioritization > roadmapping; product-metrics > product-strategy; market-research > go-to-market
market-research > pricing; user-stories > technical-product-management
user-research > usability-testing; user-research > information-architecture
interaction-design > prototyping; visual-design > design-systems; interaction-design > design-systems
prospecting > discovery-calls; discovery-calls > solution-selling; solution-selling > deal-closing
negotiation > deal-closing; crm-salesforce > sales-forecasting; account-management > territory-planning
solution-selling > technical-presales; giving-feedback > people-management; delegation > people-management
interviewing > hiring; coaching > mentoring; performance-management > organizational-development
spreadsheets > hr-analytics; employment-law > employee-relations
financial-accounting > financial-reporting; financial-accounting > management-accounting
management-accounting > fpa; budgeting-forecasting > fpa; spreadsheets > financial-modeling
financial-modeling > fpa; financial-accounting > revenue-recognition; financial-accounting > audit
financial-accounting > tax-compliance; budgeting-forecasting > variance-analysis
project-planning > risk-management; agile-scrum > kanban
"""

RELATED = """
react ~ vuejs; aws ~ azure; aws ~ gcp; azure ~ gcp; tableau ~ power-bi; pytorch ~ tensorflow
django ~ fastapi; swift-ios ~ kotlin-android; java ~ kotlin-android; go ~ rust
user-research ~ customer-interviews; product-analytics ~ product-metrics; coaching ~ giving-feedback
nlp ~ llm-applications; ab-testing ~ product-analytics; seo ~ content-marketing
marketing-analytics ~ product-analytics; hr-analytics ~ statistics; penetration-testing ~ threat-modeling
financial-modeling ~ pricing; technical-presales ~ technical-product-management
account-management ~ customer-success; user-stories ~ agile-scrum; design-thinking ~ product-discovery
facilitation ~ design-thinking; ux-writing ~ technical-writing; data-privacy ~ security-compliance
data-privacy ~ data-governance; nodejs ~ typescript; relational-databases ~ nosql-databases
stream-processing ~ apache-spark; kanban ~ jira; okrs ~ product-metrics; web-accessibility ~ inclusive-design
figma ~ prototyping; design-systems ~ state-management; message-queues ~ microservices
presentation-skills ~ sales-presentations; written-communication ~ technical-writing
stakeholder-management ~ cross-functional-collaboration; recruiting ~ hiring; onboarding ~ learning-design
compensation-benefits ~ workforce-planning; treasury ~ budgeting-forecasting; erp-systems ~ hris
procurement ~ negotiation; remote-collaboration ~ written-communication; time-series-forecasting ~ budgeting-forecasting
recommender-systems ~ product-analytics; change-management ~ organizational-development
strategic-thinking ~ product-strategy; decision-making ~ strategic-thinking; brand-positioning ~ go-to-market
partnerships ~ account-management; territory-planning ~ sales-forecasting; debugging ~ observability
"""


@dataclass(frozen=True)
class Rung:
    seniority: int
    id: str
    title: str
    description: str
    alt_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Track:
    """One ladder in a job family. `skills`: "skill level importance [@since] [+rate]; ...",
    the level at seniority `since` (default: the first rung), rising by `rate` (default 0.75)
    a rung, rounded to halves."""

    family: str
    group: str
    rungs: tuple[Rung, ...]
    skills: str = ""
    tasks: tuple[str, ...] = ()


TRACKS: tuple[Track, ...] = (
    Track(
        "Engineering",
        "backend",
        (
            Rung(
                1,
                "junior-backend-engineer",
                "Junior Backend Engineer",
                "Builds and tests well-scoped features in our Python services under the guidance of senior engineers. Learns the code base, the deployment pipeline and the on-call basics, and asks for review early.",
                ("Associate Software Engineer",),
            ),
            Rung(
                2,
                "backend-engineer",
                "Backend Engineer",
                "Designs, builds and operates backend services and APIs for one product area. Owns features from design note to production, writes tests and monitors what they ship.",
                ("Software Engineer, Backend", "Server-side Developer"),
            ),
            Rung(
                3,
                "senior-backend-engineer",
                "Senior Backend Engineer",
                "Leads the technical design of larger features and services, making trade-offs between speed, reliability and cost. Reviews code across the team, mentors less experienced engineers and improves how the team builds and ships.",
                ("Senior Software Engineer",),
            ),
            Rung(
                4,
                "staff-backend-engineer",
                "Staff Backend Engineer",
                "Sets the technical direction for several teams' backend systems and owns the architecture of critical services. Drives cross-team initiatives such as platform migrations, coaches senior engineers and represents engineering in product planning.",
                ("Principal Engineer", "Tech Lead"),
            ),
        ),
        "python 2 1.0; rest-api-design 2 .9; relational-databases 2 .8; git 2 .6 +.5; unit-testing 2 .7; sql 2 .5 +.5; docker 1 .5; code-review 1 .6; debugging 2 .7; ci-cd 1 .5; fastapi 2 .6; microservices 2 .6 @2; observability 2 .4 @2; message-queues 3 .5 @3; caching 3 .5 @3; system-design 3 .8 @3; software-architecture 3 .7 @3; mentoring 2 .4 @3; technical-writing 3 .4 @3; stakeholder-management 3 .5 @4",
        (
            "Build and maintain REST APIs and background jobs",
            "Write automated tests and review pull requests",
            "Take part in the on-call rotation for owned services",
        ),
    ),
    Track(
        "Engineering",
        "frontend",
        (
            Rung(
                1,
                "junior-frontend-engineer",
                "Junior Frontend Engineer",
                "Builds user interface components and small features in our React web app with support from the team. Learns our design system, testing practices and release process.",
                ("Associate Frontend Developer",),
            ),
            Rung(
                2,
                "frontend-engineer",
                "Frontend Engineer",
                "Builds accessible, fast user interfaces in React and TypeScript for one product area. Works closely with designers and backend engineers to ship features end to end.",
                ("Web Developer", "UI Engineer"),
            ),
            Rung(
                3,
                "senior-frontend-engineer",
                "Senior Frontend Engineer",
                "Leads the frontend design of larger features and keeps the web app fast, accessible and maintainable. Mentors other engineers and shapes the shared component library with design.",
                ("Senior Web Engineer",),
            ),
            Rung(
                4,
                "lead-frontend-engineer",
                "Lead Frontend Engineer",
                "Owns the frontend architecture across product teams and the roadmap of the design system's code. Coaches frontend engineers, sets standards for performance and accessibility, and plans large refactors.",
                ("Frontend Tech Lead",),
            ),
        ),
        "javascript 2 1.0; typescript 2 .9; react 2 1.0; html-css 2 .8 +.5; git 2 .6 +.5; unit-testing 2 .6; responsive-design 2 .6; web-accessibility 1 .6; rest-api-design 1 .4; code-review 1 .6; cross-functional-collaboration 2 .5; state-management 2 .6 @2; web-performance 2 .5 @2; test-automation 2 .5 @2; nextjs 3 .4 @3; design-systems 3 .5 @3; software-architecture 3 .6 @3; mentoring 2 .4 @3; stakeholder-management 3 .5 @4",
        (
            "Build React components and pages from designs",
            "Keep the web app accessible and fast",
            "Review frontend pull requests",
        ),
    ),
    Track(
        "Engineering",
        "mobile",
        (
            Rung(
                2,
                "mobile-engineer",
                "Mobile Engineer",
                "Builds and releases features in our iOS and Android apps. Works with designers on native interactions and with backend engineers on the APIs the apps use.",
                ("iOS Developer", "Android Developer"),
            ),
            Rung(
                3,
                "senior-mobile-engineer",
                "Senior Mobile Engineer",
                "Leads the architecture and release quality of our mobile apps. Decides between native and cross-platform approaches, mentors mobile engineers and owns crash-free targets.",
                ("Senior App Developer",),
            ),
        ),
        "swift-ios 3 .9; kotlin-android 3 .9; react-native 2 .5; mobile-release 2 .7; rest-api-design 2 .5; unit-testing 3 .6; git 3 .5 +0; ci-cd 2 .5; interaction-design 2 .3; code-review 2 .5; debugging 3 .6; software-architecture 3 .6 @3; mentoring 2 .4 @3",
        (
            "Build native app features",
            "Ship releases through the app stores",
            "Monitor crashes and app performance",
        ),
    ),
    Track(
        "Engineering",
        "platform",
        (
            Rung(
                2,
                "platform-engineer",
                "Platform Engineer",
                "Builds and runs the cloud platform our services are deployed on: Kubernetes clusters, CI/CD pipelines and infrastructure as code. Automates toil and helps product teams ship safely.",
                ("DevOps Engineer", "Cloud Engineer"),
            ),
            Rung(
                3,
                "senior-site-reliability-engineer",
                "Senior Site Reliability Engineer",
                "Keeps production reliable by setting SLOs, improving observability and leading incident response. Designs for failure and works with product teams to remove reliability risks before launch.",
                ("Senior SRE",),
            ),
            Rung(
                4,
                "platform-engineering-lead",
                "Platform Engineering Lead",
                "Sets the direction of the internal platform and the reliability practice across engineering. Plans capacity and cloud spend, coaches platform engineers and owns the incident management process.",
                ("Infrastructure Lead",),
            ),
        ),
        "linux 3 .9; docker 3 .9; kubernetes 2 .9; terraform 2 .8; aws 2 .8; ci-cd 3 .8; networking 2 .6; shell-scripting 3 .6 +.5; observability 2 .8; incident-management 2 .7; python 2 .5 +.5; go 2 .4; cloud-security 2 .5; sre-practices 3 .8 @3; system-design 3 .6 @3; mentoring 2 .4 @3; stakeholder-management 3 .5 @4",
        (
            "Operate Kubernetes clusters and CI/CD pipelines",
            "Write Terraform for cloud infrastructure",
            "Lead incident response and postmortems",
        ),
    ),
    Track(
        "Engineering",
        "security",
        (
            Rung(
                2,
                "security-engineer",
                "Security Engineer",
                "Protects our products and infrastructure by reviewing designs and code for vulnerabilities, running security tooling and responding to alerts. Helps engineers fix vulnerabilities quickly and learn secure habits.",
                ("Application Security Engineer",),
            ),
            Rung(
                3,
                "senior-security-engineer",
                "Senior Security Engineer",
                "Leads threat modelling of new systems, the penetration testing program and security incident response. Owns the technical side of our ISO 27001 and SOC 2 controls and mentors the security champions.",
                ("Security Architect",),
            ),
        ),
        "application-security 3 1.0; secure-coding 3 .8; threat-modeling 2 .8; identity-access-management 3 .7; network-security 2 .6; cloud-security 2 .7; security-compliance 2 .6; penetration-testing 2 .6; cryptography 2 .6; security-incident-response 2 .7; python 2 .5; linux 3 .5 +.5; aws 2 .4; data-privacy 2 .4; mentoring 2 .3 @3",
        (
            "Review designs and code for security",
            "Run vulnerability scanning and penetration tests",
            "Respond to security alerts",
        ),
    ),
    Track(
        "Engineering",
        "quality",
        (
            Rung(
                1,
                "junior-qa-engineer",
                "Junior QA Engineer",
                "Tests new features by hand and with automated checks, writes clear bug reports and keeps test cases up to date. Learns test automation from the team.",
                ("QA Analyst",),
            ),
            Rung(
                2,
                "test-automation-engineer",
                "Test Automation Engineer",
                "Builds and maintains the automated end-to-end and API test suites that guard every release. Works with developers to make code testable and keeps the CI pipeline green and fast.",
                ("SDET", "QA Automation Engineer"),
            ),
        ),
        "test-automation 2 1.0; unit-testing 2 .6; javascript 2 .6; python 2 .5; ci-cd 1 .6; git 2 .5; debugging 2 .6; jira 2 .4; agile-scrum 2 .4; rest-api-design 1 .4; written-communication 2 .4",
        (
            "Automate end-to-end and API tests",
            "Triage failing builds",
            "Write and track bug reports",
        ),
    ),
    Track(
        "Engineering",
        "engineering-management",
        (
            Rung(
                5,
                "engineering-manager",
                "Engineering Manager",
                "Leads a team of engineers: hiring, growth, performance and well-being, and the delivery of the team's roadmap. Works with product and design to plan, keeps technical quality high and removes obstacles.",
                ("Software Development Manager", "Head of Engineering"),
            ),
        ),
        "people-management 4 1.0; hiring 4 .8; giving-feedback 4 .8; coaching 4 .7; delegation 4 .7; stakeholder-management 4 .8; project-planning 3 .6; agile-scrum 3 .5; system-design 3 .5; software-architecture 3 .5; code-review 3 .3; performance-management 3 .6; okrs 3 .5; conflict-resolution 3 .6; strategic-thinking 3 .5; change-management 3 .4",
        (
            "Run one-on-ones and performance reviews",
            "Hire engineers",
            "Plan and track team delivery",
        ),
    ),
    Track(
        "Engineering",
        "developer-relations",
        (
            Rung(
                3,
                "developer-advocate",
                "Developer Advocate",
                "Helps external developers succeed with the Northwind platform APIs. Writes tutorials and sample code, speaks at meetups and conferences, and brings developer feedback back to the product and engineering teams.",
                ("Developer Relations Engineer",),
            ),
        ),
    ),
    Track(
        "Data",
        "analytics",
        (
            Rung(
                1,
                "junior-data-analyst",
                "Junior Data Analyst",
                "Answers well-defined business questions with SQL and spreadsheets, and keeps recurring reports and dashboards up to date. Learns the company's data model and metric definitions.",
                ("Reporting Analyst",),
            ),
            Rung(
                2,
                "data-analyst",
                "Data Analyst",
                "Turns business questions into analyses, dashboards and recommendations for one part of the business. Writes SQL, builds Tableau dashboards and explains the results to stakeholders.",
                ("Business Analyst", "BI Analyst"),
            ),
            Rung(
                3,
                "senior-data-analyst",
                "Senior Data Analyst",
                "Leads analyses that shape decisions across teams, from experiment readouts to market sizing. Defines metrics, reviews other analysts' work and brings statistical rigour to everyday questions.",
                ("Lead Analyst",),
            ),
        ),
        "sql 2 1.0; spreadsheets 2 .7 +.5; data-visualization 2 .9; tableau 2 .7; statistics 1 .7; exploratory-analysis 2 .7; python 1 .5; pandas 1 .4; data-storytelling 1 .7; product-analytics 1 .5; stakeholder-management 1 .5; ab-testing 2 .6 @2; data-modeling 2 .4 @3; mentoring 2 .3 @3",
        (
            "Write SQL to answer business questions",
            "Build and maintain dashboards",
            "Present findings to stakeholders",
        ),
    ),
    Track(
        "Data",
        "data-science",
        (
            Rung(
                2,
                "data-scientist",
                "Data Scientist",
                "Builds statistical and machine learning models that improve products and decisions, from churn prediction to demand forecasts. Explores data in Python, evaluates models honestly and explains what they mean.",
                ("Applied Scientist",),
            ),
            Rung(
                3,
                "senior-data-scientist",
                "Senior Data Scientist",
                "Leads modelling projects from problem framing to production with engineering. Chooses methods, designs experiments, reviews other scientists' work and mentors junior colleagues.",
                ("Senior Applied Scientist",),
            ),
            Rung(
                4,
                "lead-data-scientist",
                "Lead Data Scientist",
                "Sets the data science agenda for a product area with its leaders and keeps the team's methods sound. Coaches data scientists, owns the model review process and represents data science in planning.",
                ("Principal Data Scientist",),
            ),
        ),
        "python 3 1.0; pandas 3 .9; numpy 2 .6; statistics 3 .9; machine-learning 3 1.0; scikit-learn 3 .8; feature-engineering 2 .8; model-evaluation 2 .9; sql 3 .7 +.5; exploratory-analysis 3 .6 +.5; ab-testing 2 .6; data-storytelling 2 .5; linear-algebra 2 .5; deep-learning 3 .6 @3; nlp 2 .4 @3; mlops 2 .4 @3; mentoring 2 .4 @3; stakeholder-management 3 .6 @4; strategic-thinking 3 .4 @4",
        (
            "Build and evaluate predictive models",
            "Design and analyse experiments",
            "Explain model results to product teams",
        ),
    ),
    Track(
        "Data",
        "data-engineering",
        (
            Rung(
                2,
                "data-engineer",
                "Data Engineer",
                "Builds and runs the pipelines that bring data from our products and tools into the data warehouse. Models data for analytics, monitors data quality and keeps pipelines fast and cheap.",
                ("ETL Developer",),
            ),
            Rung(
                3,
                "senior-data-engineer",
                "Senior Data Engineer",
                "Designs the data platform: batch and streaming ingestion, warehouse modelling and orchestration. Sets standards for data quality and mentors data engineers.",
                ("Data Platform Engineer",),
            ),
        ),
        "python 3 .9; sql 3 1.0; etl-pipelines 3 1.0; airflow 2 .8; data-modeling 2 .8; data-warehousing 2 .8; apache-spark 2 .7; dbt 2 .6; data-quality 2 .7; docker 2 .5; git 3 .5 +0; aws 2 .5; stream-processing 2 .5 @3; system-design 3 .5 @3; mentoring 2 .3 @3",
        (
            "Build batch and streaming pipelines",
            "Model data in the warehouse",
            "Monitor data quality",
        ),
    ),
    Track(
        "Data",
        "ml-engineering",
        (
            Rung(
                3,
                "machine-learning-engineer",
                "Machine Learning Engineer",
                "Takes machine learning models to production and keeps them healthy: training pipelines, serving, monitoring and retraining. Works between data scientists and platform engineers, and builds our LLM features.",
                ("ML Engineer", "MLOps Engineer"),
            ),
        ),
        "python 4 1.0; machine-learning 3 .9; mlops 3 .9; docker 3 .7; kubernetes 2 .5; pytorch 3 .7; deep-learning 3 .7; model-evaluation 3 .7; ci-cd 3 .6; rest-api-design 3 .5; apache-spark 2 .4; llm-applications 2 .5; software-architecture 3 .5; observability 2 .4",
        (
            "Build training and serving pipelines",
            "Monitor models in production",
            "Ship LLM-based features",
        ),
    ),
    Track(
        "Data",
        "data-leadership",
        (
            Rung(
                5,
                "head-of-data",
                "Head of Data",
                "Leads the analytics, data science and data engineering teams and sets the data strategy with the executive team. Owns hiring and growth of data people, data governance and the priorities of the data roadmap.",
                ("Director of Data", "Analytics Manager"),
            ),
        ),
        "people-management 4 1.0; strategic-thinking 4 .9; stakeholder-management 4 .9; hiring 4 .7; data-governance 3 .7; machine-learning 3 .5; statistics 3 .5; data-storytelling 4 .7; okrs 3 .5; coaching 3 .6; budgeting-forecasting 2 .3; change-management 3 .4; decision-making 4 .6",
        ("Set the data strategy", "Lead and grow the data teams", "Own data governance"),
    ),
    Track(
        "Data",
        "analytics-engineering",
        (
            Rung(
                2,
                "analytics-engineer",
                "Analytics Engineer",
                "Builds and maintains the tested, documented data models that analysts and dashboards rely on. Writes SQL transformations in dbt on top of the cloud data warehouse, owns data quality checks, and works with data engineers on ingestion and with analysts on metric definitions.",
            ),
        ),
    ),
    Track(
        "Product",
        "product-management",
        (
            Rung(
                1,
                "associate-product-manager",
                "Associate Product Manager",
                "Supports a product team by writing user stories, running customer interviews and tracking feature metrics. Learns discovery and prioritisation from senior product managers.",
                ("APM", "Junior Product Manager"),
            ),
            Rung(
                2,
                "product-manager",
                "Product Manager",
                "Owns the outcomes of one product area: discovers customer problems, decides what the team builds and in which order, and measures whether it worked. Works daily with engineering and design.",
                ("Product Owner",),
            ),
            Rung(
                3,
                "senior-product-manager",
                "Senior Product Manager",
                "Owns the strategy and roadmap of a larger product area with several stakeholders. Leads discovery on ambiguous problems, plans launches with sales and marketing, and coaches other product managers.",
                ("Lead Product Manager",),
            ),
            Rung(
                4,
                "group-product-manager",
                "Group Product Manager",
                "Leads a group of product managers and sets the product strategy across several teams. Manages and grows product managers and aligns the roadmap with company goals.",
                ("Product Lead",),
            ),
            Rung(
                5,
                "director-of-product",
                "Director of Product",
                "Leads the product organisation: vision, strategy and the portfolio of bets across the company. Hires and develops product leaders and partners with the executive team on pricing and go-to-market.",
                ("Head of Product", "VP Product"),
            ),
        ),
        "product-discovery 2 .9 +.75; user-stories 2 .8 +.5; prioritization 2 .9 +.75; roadmapping 1 .8 +.75; customer-interviews 2 .8 +.5; product-metrics 2 .8 +.75; stakeholder-management 2 .9; agile-scrum 2 .5 +.5; sql 1 .4 +.5; product-analytics 1 .6 +.5; ab-testing 1 .5 +.5; cross-functional-collaboration 2 .7; presentation-skills 2 .6 +.75; product-strategy 2 .8 @2; go-to-market 2 .6 @2 +.75; market-research 2 .5 @2 +.5; pricing 2 .5 @3; people-management 3 .8 @4; strategic-thinking 3 .8 @4; hiring 3 .6 @4; okrs 3 .6 @4; coaching 3 .5 @4",
        (
            "Run discovery with customers",
            "Write and prioritise the backlog",
            "Track product metrics after launch",
        ),
    ),
    Track(
        "Product",
        "technical-product",
        (
            Rung(
                3,
                "technical-product-manager",
                "Technical Product Manager",
                "Manages our platform and public API products, whose users are developers inside and outside the company. Turns technical constraints into clear requirements and roadmaps and works closely with staff engineers.",
                ("Platform Product Manager",),
            ),
        ),
        "technical-product-management 3 1.0; rest-api-design 3 .7; system-design 2 .5; user-stories 3 .8; prioritization 3 .8; roadmapping 3 .7; stakeholder-management 3 .8; product-discovery 3 .6; agile-scrum 3 .5; sql 2 .4; technical-writing 3 .5; software-architecture 2 .4",
        (
            "Own the API and platform roadmap",
            "Write technical requirements",
            "Gather developer feedback",
        ),
    ),
    Track(
        "Product",
        "product-operations",
        (
            Rung(
                2,
                "product-operations-specialist",
                "Product Operations Specialist",
                "Keeps the product organisation running smoothly. Maintains the roadmap and release tooling in Jira, collects and tags customer feedback, prepares product metrics reviews, and coordinates launches with sales and support.",
            ),
        ),
    ),
    Track(
        "Design",
        "product-design",
        (
            Rung(
                1,
                "junior-product-designer",
                "Junior Product Designer",
                "Designs screens and small flows within an existing design system, and helps run usability tests. Learns interaction design and research practice with the team's senior designers.",
                ("Junior UX Designer",),
            ),
            Rung(
                2,
                "product-designer",
                "Product Designer",
                "Designs end-to-end experiences for one product area, from research and flows to high-fidelity prototypes. Tests ideas with users and works with engineers through delivery.",
                ("UX Designer", "UI/UX Designer"),
            ),
            Rung(
                3,
                "senior-product-designer",
                "Senior Product Designer",
                "Leads design for complex, ambiguous problems across a product area. Facilitates discovery workshops, raises the quality bar of the design system and mentors designers.",
                ("Senior UX Designer",),
            ),
            Rung(
                4,
                "lead-product-designer",
                "Lead Product Designer",
                "Sets the design direction across several product teams and owns the design system's vision. Coaches designers, represents design in product strategy and improves how design works with engineering.",
                ("Principal Designer",),
            ),
        ),
        "interaction-design 2 1.0; visual-design 2 .9; figma 2 .8 +.5; prototyping 2 .8; usability-testing 1 .7; user-research 1 .6; information-architecture 1 .6; design-systems 1 .6; inclusive-design 1 .6; ux-writing 1 .4; responsive-design 1 .3; cross-functional-collaboration 2 .6; presentation-skills 2 .5; design-thinking 2 .5 @2; product-discovery 2 .4 @3; service-design 2 .4 @3; facilitation 3 .5 @3; mentoring 2 .4 @3; stakeholder-management 3 .6 @4",
        (
            "Design flows and prototypes in Figma",
            "Run usability tests",
            "Contribute to the design system",
        ),
    ),
    Track(
        "Design",
        "ux-research",
        (
            Rung(
                2,
                "ux-researcher",
                "UX Researcher",
                "Plans and runs research that tells product teams what users need: interviews, usability studies and surveys. Synthesises findings into clear insights and recommendations.",
                ("User Researcher",),
            ),
            Rung(
                3,
                "senior-ux-researcher",
                "Senior UX Researcher",
                "Leads the research agenda for a product area and builds research skills across teams. Chooses the right methods, mixes qualitative and quantitative evidence and mentors researchers.",
                ("Lead User Researcher",),
            ),
        ),
        "user-research 3 1.0; usability-testing 3 .9; customer-interviews 3 .8; statistics 2 .5; data-storytelling 2 .6; facilitation 2 .6; service-design 2 .4; information-architecture 2 .4; written-communication 3 .6 +.5; design-thinking 2 .5; product-discovery 2 .5; presentation-skills 2 .5; mentoring 2 .3 @3",
        ("Plan and run user interviews", "Run usability studies", "Share research insights"),
    ),
    Track(
        "Design",
        "design-management",
        (
            Rung(
                5,
                "design-manager",
                "Design Manager",
                "Leads the design team: hiring, growth and the quality of design work across products. Partners with product and engineering leaders on priorities and keeps the design system healthy.",
                ("Head of Design",),
            ),
        ),
        "people-management 4 1.0; hiring 4 .8; giving-feedback 4 .8; coaching 4 .7; design-systems 4 .5; interaction-design 4 .5; visual-design 3 .4; stakeholder-management 4 .8; strategic-thinking 3 .6; facilitation 4 .5; performance-management 3 .5",
        (
            "Lead and grow the design team",
            "Run design critiques",
            "Plan design work with product leaders",
        ),
    ),
    Track(
        "Sales",
        "sales",
        (
            Rung(
                1,
                "sales-development-representative",
                "Sales Development Representative",
                "Finds and qualifies new prospects through outbound calls, emails and social selling, and books first meetings for account executives. Keeps every contact and activity recorded in Salesforce.",
                ("SDR", "Business Development Representative"),
            ),
            Rung(
                2,
                "account-executive",
                "Account Executive",
                "Runs the full sales cycle for mid-market customers: discovery, demos, proposals, negotiation and close. Forecasts their pipeline accurately and hands over happy customers to customer success.",
                ("Sales Executive",),
            ),
            Rung(
                3,
                "senior-account-executive",
                "Senior Account Executive",
                "Wins and expands enterprise accounts with long, multi-stakeholder sales cycles. Builds account plans, negotiates complex contracts and coaches newer account executives.",
                ("Enterprise Account Executive",),
            ),
            Rung(
                4,
                "sales-team-lead",
                "Sales Team Lead",
                "Leads a team of account executives while carrying a smaller quota. Coaches deals, runs pipeline reviews, forecasts for the team and hires new sellers.",
                ("Sales Manager",),
            ),
            Rung(
                5,
                "head-of-sales",
                "Head of Sales",
                "Leads the sales organisation and owns the revenue plan. Sets territories and quotas, builds the sales team and process, and works with product and marketing on go-to-market.",
                ("VP Sales", "Sales Director"),
            ),
        ),
        "prospecting 3 .9 +.25; discovery-calls 2 .9 +.75; crm-salesforce 2 .7 +.5; sales-presentations 1 .7; written-communication 2 .5 +.5; negotiation 2 .9 @2; solution-selling 2 .8 @2; deal-closing 2 .9 @2; sales-forecasting 2 .6 @2; territory-planning 3 .6 @3; account-management 3 .5 @3; stakeholder-management 3 .5 @3; coaching 3 .7 @4; people-management 3 .8 @4; hiring 3 .5 @4; strategic-thinking 4 .7 @5",
        (
            "Prospect and qualify new accounts",
            "Run demos and negotiate contracts",
            "Keep the pipeline and forecast accurate",
        ),
    ),
    Track(
        "Sales",
        "customer-success",
        (
            Rung(
                2,
                "customer-success-manager",
                "Customer Success Manager",
                "Helps a portfolio of customers get value from the product after they sign: onboarding, regular business reviews and renewals. Spots expansion and churn risk early and works with sales and support.",
                ("Account Manager", "CSM"),
            ),
            Rung(
                3,
                "senior-customer-success-manager",
                "Senior Customer Success Manager",
                "Owns the relationships with our largest customers and their renewals and growth. Leads executive business reviews, shapes the success playbooks and mentors other customer success managers.",
                ("Strategic Customer Success Manager",),
            ),
        ),
        "customer-success 3 1.0; account-management 2 .8; sales-presentations 2 .5; negotiation 2 .5; crm-salesforce 2 .6; product-analytics 1 .3; written-communication 3 .6; stakeholder-management 2 .6; facilitation 2 .4; discovery-calls 2 .5; customer-interviews 2 .4; data-storytelling 2 .4 @3; mentoring 2 .3 @3",
        (
            "Onboard new customers",
            "Run business reviews and renewals",
            "Flag churn risk and expansion",
        ),
    ),
    Track(
        "Sales",
        "solutions-engineering",
        (
            Rung(
                3,
                "solutions-engineer",
                "Solutions Engineer",
                "Is the technical partner of account executives in complex deals. Runs technical discovery, tailored demos and proofs of concept, and designs how our product fits into the customer's systems.",
                ("Sales Engineer", "Pre-sales Consultant"),
            ),
        ),
        "technical-presales 3 1.0; sales-presentations 3 .8; rest-api-design 3 .6; solution-selling 3 .7; discovery-calls 3 .7; python 2 .4; sql 2 .4; aws 2 .4; system-design 2 .4; technical-writing 2 .4; stakeholder-management 3 .6",
        (
            "Run technical discovery and demos",
            "Build proofs of concept",
            "Answer security and architecture questionnaires",
        ),
    ),
    Track(
        "Sales",
        "revenue-operations",
        (
            Rung(
                2,
                "revenue-operations-analyst",
                "Revenue Operations Analyst",
                "Owns the sales and customer success data in the CRM and turns it into forecasts and dashboards. Designs territory and quota models with sales leadership, automates pipeline reports, and keeps lead routing and account data clean.",
            ),
        ),
    ),
    Track(
        "People",
        "people-partnering",
        (
            Rung(
                1,
                "people-operations-coordinator",
                "People Operations Coordinator",
                "Runs the everyday people processes: onboarding and offboarding, HR system records, contracts and employee questions. Keeps our HR data accurate and our processes compliant.",
                ("HR Coordinator", "HR Assistant"),
            ),
            Rung(
                2,
                "people-partner",
                "People Partner",
                "Partners with the managers of several teams on organisation, performance, employee relations and development. Handles sensitive cases fairly and in line with employment law.",
                ("HR Business Partner", "HR Generalist"),
            ),
            Rung(
                3,
                "senior-people-partner",
                "Senior People Partner",
                "Advises department leaders on organisation design, change and talent. Leads complex employee relations cases and company-wide people programs such as performance calibration.",
                ("Senior HR Business Partner",),
            ),
        ),
        "hris 2 .6 +.5; onboarding 2 .7; employment-law 1 .7; employee-relations 1 .8; performance-management 1 .7; compensation-benefits 1 .5; written-communication 2 .5; stakeholder-management 1 .6; diversity-inclusion 1 .4; coaching 2 .6 @2; hr-analytics 1 .4 @2; conflict-resolution 2 .6 @2; organizational-development 3 .5 @3; change-management 2 .5 @3",
        (
            "Advise managers on people matters",
            "Handle employee relations cases",
            "Run performance and onboarding processes",
        ),
    ),
    Track(
        "People",
        "talent-acquisition",
        (
            Rung(
                2,
                "recruiter",
                "Recruiter",
                "Fills open roles end to end: intake with the hiring manager, sourcing, screening, interview coordination and offers. Gives every candidate a fair, respectful experience.",
                ("Talent Acquisition Partner",),
            ),
            Rung(
                3,
                "senior-technical-recruiter",
                "Senior Technical Recruiter",
                "Recruits for hard-to-fill engineering and data roles. Advises hiring managers on the market, designs structured interview loops and trains interviewers.",
                ("Senior Recruiter",),
            ),
            Rung(
                4,
                "talent-acquisition-lead",
                "Talent Acquisition Lead",
                "Leads the recruiting team and plans hiring with department heads. Owns the hiring process, employer brand and recruiting metrics, and coaches recruiters.",
                ("Recruiting Manager",),
            ),
        ),
        "recruiting 3 1.0; interviewing 2 .8; stakeholder-management 2 .7; negotiation 2 .5; hris 2 .4 +.5; written-communication 2 .5; diversity-inclusion 2 .5; employment-law 1 .3; workforce-planning 2 .5 @3; hiring 2 .5 @3; hr-analytics 2 .3 @3; people-management 3 .6 @4",
        (
            "Source and screen candidates",
            "Run interview loops and offers",
            "Report on recruiting metrics",
        ),
    ),
    Track(
        "People",
        "learning-development",
        (
            Rung(
                2,
                "learning-and-development-specialist",
                "Learning and Development Specialist",
                "Designs and runs learning programs that build the skills our teams need, from onboarding to leadership training. Facilitates workshops, curates content and measures what changes.",
                ("L&D Specialist", "Training Specialist"),
            ),
        ),
        "learning-design 3 1.0; facilitation 3 .8; coaching 2 .6; presentation-skills 3 .6; performance-management 2 .4; written-communication 3 .5; hr-analytics 1 .3; stakeholder-management 2 .5; change-management 2 .4",
        ("Design learning programs", "Facilitate workshops", "Measure training impact"),
    ),
    Track(
        "People",
        "people-leadership",
        (
            Rung(
                5,
                "head-of-people",
                "Head of People",
                "Leads the people team and the company's people strategy: organisation, talent, rewards and culture. Advises the executive team and owns workforce planning and the people budget.",
                ("HR Director", "Chief People Officer"),
            ),
        ),
        "people-management 4 1.0; organizational-development 4 .8; strategic-thinking 4 .8; employment-law 3 .6; compensation-benefits 3 .6; workforce-planning 4 .7; change-management 4 .7; stakeholder-management 4 .8; employee-relations 3 .5; diversity-inclusion 3 .5; budgeting-forecasting 2 .3; coaching 4 .6",
        ("Set the people strategy", "Plan the workforce with leaders", "Lead the people team"),
    ),
    Track(
        "Finance",
        "accounting",
        (
            Rung(
                1,
                "junior-accountant",
                "Junior Accountant",
                "Records invoices, payments and journal entries and helps with the month-end close. Reconciles accounts in the ERP system and prepares schedules for the senior accountants.",
                ("Accounts Assistant", "Bookkeeper"),
            ),
            Rung(
                2,
                "accountant",
                "Accountant",
                "Owns parts of the month-end close: accruals, reconciliations, revenue and VAT filings. Keeps the ledger accurate and works with auditors and the tax adviser.",
                ("General Ledger Accountant",),
            ),
            Rung(
                3,
                "senior-accountant",
                "Senior Accountant",
                "Leads the monthly close and the preparation of financial statements under IFRS. Improves accounting processes and controls, handles revenue recognition questions and reviews others' work.",
                ("Lead Accountant",),
            ),
            Rung(
                4,
                "financial-controller",
                "Financial Controller",
                "Owns the accounting function: close, statutory reporting, audit, tax and treasury operations. Leads the accountants and designs internal controls that scale with the company.",
                ("Controller",),
            ),
        ),
        "financial-accounting 2 1.0; spreadsheets 2 .8 +.5; erp-systems 2 .7 +.5; financial-reporting 1 .8; tax-compliance 1 .5; revenue-recognition 1 .6; audit 1 .6; variance-analysis 2 .5 @2; management-accounting 2 .5 @2; treasury 2 .4 @3; stakeholder-management 2 .5 @3; people-management 3 .6 @4",
        (
            "Post journal entries and reconcile accounts",
            "Prepare the month-end close",
            "Support the annual audit",
        ),
    ),
    Track(
        "Finance",
        "fpa",
        (
            Rung(
                2,
                "financial-analyst",
                "Financial Analyst",
                "Builds the budget and forecasts with department leaders and explains the variance between plan and actuals. Maintains the financial model and prepares monthly management reports.",
                ("FP&A Analyst",),
            ),
            Rung(
                3,
                "senior-fpa-analyst",
                "Senior FP&A Analyst",
                "Leads the annual planning process and business cases for major investments. Partners with executives on unit economics and pricing, and mentors financial analysts.",
                ("Finance Business Partner",),
            ),
        ),
        "financial-modeling 3 1.0; budgeting-forecasting 3 .9; variance-analysis 3 .8; spreadsheets 3 .9 +.5; management-accounting 2 .6; fpa 2 .9; sql 1 .4; power-bi 2 .5; data-storytelling 2 .6; stakeholder-management 2 .7; financial-accounting 2 .5; presentation-skills 2 .5; mentoring 2 .3 @3",
        ("Build budgets and forecasts", "Explain plan versus actuals", "Model business cases"),
    ),
    Track(
        "Finance",
        "finance-leadership",
        (
            Rung(
                5,
                "finance-director",
                "Finance Director",
                "Leads finance: planning, accounting, treasury and investor reporting. Advises the executive team on capital allocation and risk, and leads and grows the finance team.",
                ("Head of Finance", "VP Finance"),
            ),
        ),
        "fpa 4 .9; financial-reporting 4 .8; treasury 3 .7; audit 3 .6; people-management 4 1.0; strategic-thinking 4 .8; stakeholder-management 4 .8; budgeting-forecasting 4 .8; tax-compliance 3 .5; decision-making 4 .6; financial-modeling 3 .5",
        (
            "Own financial planning and reporting",
            "Advise on capital allocation",
            "Lead the finance team",
        ),
    ),
)

# Moves seen in practice beyond the ladders: (from role, to role, weight).
EXTRA_MOVES = """
data-analyst > data-scientist 6; senior-data-analyst > senior-data-scientist 3; data-scientist > data-analyst 1
data-analyst > analytics-engineer 4; junior-data-analyst > analytics-engineer 2; analytics-engineer > data-engineer 4
analytics-engineer > senior-data-analyst 2; backend-engineer > data-engineer 4; senior-backend-engineer > senior-data-engineer 3
senior-backend-engineer > machine-learning-engineer 2; data-scientist > machine-learning-engineer 4; senior-data-scientist > machine-learning-engineer 2
senior-backend-engineer > developer-advocate 2; senior-frontend-engineer > developer-advocate 2; frontend-engineer > developer-advocate 1
product-designer > product-manager 2; senior-product-designer > senior-product-manager 1.5; product-manager > product-designer 1
ux-researcher > product-manager 2; senior-backend-engineer > technical-product-manager 3; senior-frontend-engineer > technical-product-manager 1.5
backend-engineer > solutions-engineer 2; senior-backend-engineer > solutions-engineer 1.5; customer-success-manager > account-executive 3
account-executive > customer-success-manager 2; sales-development-representative > customer-success-manager 2
sales-development-representative > revenue-operations-analyst 2; account-executive > revenue-operations-analyst 1.5
data-analyst > revenue-operations-analyst 1.5; financial-analyst > revenue-operations-analyst 1
product-operations-specialist > product-manager 3; associate-product-manager > product-operations-specialist 1
recruiter > people-partner 3; people-partner > recruiter 2; people-partner > learning-and-development-specialist 2
learning-and-development-specialist > people-partner 1.5; financial-analyst > data-analyst 2; data-analyst > financial-analyst 1.5
accountant > financial-analyst 3; junior-accountant > financial-analyst 1.5; test-automation-engineer > backend-engineer 3
junior-qa-engineer > junior-frontend-engineer 1; platform-engineer > security-engineer 2; backend-engineer > platform-engineer 3
frontend-engineer > mobile-engineer 2; mobile-engineer > senior-frontend-engineer 2; staff-backend-engineer > engineering-manager 6
lead-frontend-engineer > engineering-manager 5; platform-engineering-lead > engineering-manager 4; senior-backend-engineer > engineering-manager 1.5
lead-data-scientist > head-of-data 6; senior-data-engineer > head-of-data 1; lead-product-designer > design-manager 6
talent-acquisition-lead > head-of-people 4; senior-people-partner > head-of-people 4; financial-controller > finance-director 6
senior-fpa-analyst > financial-controller 3; customer-success-manager > product-manager 1; senior-people-partner > talent-acquisition-lead 2
people-operations-coordinator > recruiter 2; senior-ux-researcher > lead-product-designer 1.5; junior-product-designer > ux-researcher 1.5
"""

# Current headcount per role; department = family.
HEADCOUNT = """
engineering-manager 5; staff-backend-engineer 4; senior-backend-engineer 12; backend-engineer 18; junior-backend-engineer 9
lead-frontend-engineer 3; senior-frontend-engineer 8; frontend-engineer 14; junior-frontend-engineer 6
senior-mobile-engineer 3; mobile-engineer 5; platform-engineering-lead 2; senior-site-reliability-engineer 5; platform-engineer 6
senior-security-engineer 2; security-engineer 4; test-automation-engineer 4; junior-qa-engineer 3; developer-advocate 2
head-of-data 1; lead-data-scientist 2; senior-data-scientist 5; data-scientist 7; machine-learning-engineer 3
senior-data-engineer 3; data-engineer 5; analytics-engineer 3; senior-data-analyst 5; data-analyst 9; junior-data-analyst 5
director-of-product 1; group-product-manager 2; senior-product-manager 5; technical-product-manager 3; product-manager 9
associate-product-manager 3; product-operations-specialist 2
design-manager 1; lead-product-designer 2; senior-product-designer 4; senior-ux-researcher 2; product-designer 7
ux-researcher 3; junior-product-designer 3
head-of-sales 1; sales-team-lead 3; senior-account-executive 7; solutions-engineer 4; senior-customer-success-manager 4
account-executive 14; customer-success-manager 8; revenue-operations-analyst 2; sales-development-representative 12
head-of-people 1; talent-acquisition-lead 1; senior-people-partner 3; senior-technical-recruiter 3; people-partner 4
recruiter 4; learning-and-development-specialist 2; people-operations-coordinator 3
finance-director 1; financial-controller 1; senior-accountant 3; senior-fpa-analyst 3; accountant 4; financial-analyst 4
junior-accountant 3
"""

LOCATIONS = {
    "Berlin": 1.0,
    "London": 0.0,
    "New York": -5.0,
    "Bangalore": 5.5,
    "San Francisco": -8.0,
    "Lisbon": 0.0,
    "Toronto": -5.0,
    "Singapore": 8.0,
}
LOCATION_MIX = {
    "Engineering": "Berlin 30; Bangalore 25; London 15; Lisbon 15; San Francisco 10; Toronto 5",
    "Data": "Berlin 30; Bangalore 25; London 25; New York 10; Lisbon 10",
    "Product": "Berlin 35; London 30; San Francisco 20; New York 15",
    "Design": "Berlin 40; Lisbon 30; London 20; New York 10",
    "Sales": "New York 30; London 30; San Francisco 15; Singapore 15; Toronto 10",
    "People": "Berlin 40; London 30; New York 20; Bangalore 10",
    "Finance": "London 40; Berlin 30; New York 20; Singapore 10",
}
# Local languages people in a city often speak: (language, chance, lowest level).
LOCAL_LANGUAGES = {
    "Berlin": ("german", 0.75, 3),
    "Bangalore": ("hindi", 0.6, 4),
    "Lisbon": ("portuguese", 0.6, 4),
    "Toronto": ("french", 0.3, 2),
    "New York": ("spanish", 0.2, 2),
    "San Francisco": ("spanish", 0.2, 2),
}
# Technology that newer colleagues often know better than senior ones (reverse mentoring).
NEW_TECH = {
    "Engineering": ("llm-applications", "rust", "nextjs", "prompt-engineering"),
    "Data": ("llm-applications", "prompt-engineering", "dbt"),
    "Product": ("prompt-engineering", "llm-applications"),
    "Design": ("prompt-engineering", "llm-applications"),
    "Sales": ("prompt-engineering",),
    "People": ("prompt-engineering", "hr-analytics"),
    "Finance": ("prompt-engineering", "python", "power-bi"),
}
SPELLS_BY_SENIORITY = {  # chance of 1, 2, 3, ... spells in the history
    1: (0.9, 0.1),
    2: (0.35, 0.45, 0.2),
    3: (0.2, 0.3, 0.3, 0.15, 0.05),
    4: (0.05, 0.2, 0.35, 0.25, 0.15),
    5: (0.05, 0.15, 0.3, 0.3, 0.2),
}
EVIDENCE_MIX = (
    (Evidence.SELF, 50),
    (Evidence.MANAGER, 20),
    (Evidence.PROJECT, 15),
    (Evidence.ASSESSMENT, 10),
    (Evidence.CERTIFICATION, 5),
)

FIRST_NAMES_TEXT = """Amara Ben Chiara Dev Elif Felix Grace Hiro Ines Jonas Kavya Liam Mei Noah Olga Priya Quentin
Rosa Sami Tara Umar Vera Wen Ximena Yusuf Zoe Aisha Bruno Carmen Daniel Emeka Fatima Gustav Hana Ivan Julia
Kofi Lena Mateo Nadia Oscar Paula Rahul Sofia Tomas Uma Viktor Wanjiru Yara Zainab Anika Lucas Marta Nikhil
Aylin Joao Chloe Arjun Leila Finn Ana Kenji Ruth Samuel Ingrid Omar Elena Diego Nora Tobias"""
LAST_NAMES_TEXT = """Achterberg Banerjee Costa Dubois Eriksen Fischer Garcia Haddad Ito Jansen Kowalski Lindqvist
Mensah Novak Okafor Patel Quinn Rossi Schmidt Tanaka Ueda Varga Weber Xu Yilmaz Zhang Almeida Becker Chowdhury
Dimitrov Evans Ferreira Gupta Horvat Iyer Jovanovic Kim Lopez Murphy Nakamura Oliveira Petrov Rahman Santos
Tran Ustinov Vogel Wright Yamamoto Ziegler Adeyemi Brennan Carvalho Dasgupta Engel Fernandes Hoffmann Kaur
Lange Moreau Nair Obi Park Reddy Silva Thompson Walsh Keller Mehta Bauer"""

FREE_TEXT_INTERESTS = (
    "moving into management",
    "public speaking",
    "machine learning for pricing",
    "working with customers",
    "mentoring new hires",
    "building developer tools",
    "sustainability reporting",
    "running workshops",
    "open source",
    "a role in product",
)


# ---------------------------------------------------------------- small helpers


def pairs(text: str, sep: str) -> list[tuple[str, str]]:
    """`a > b; c > d` as [(a, b), (c, d)]."""
    result = []
    for chunk in text.replace("\n", ";").split(";"):
        if chunk.strip():
            left, right = chunk.split(sep)
            result.append((left.strip(), right.strip()))
    return result


def weighted_names(text: str) -> list[tuple[str, float]]:
    """`name 3; other name 1.5` as [(name, 3.0), ...]; the weight is the last word."""
    result = []
    for chunk in text.replace("\n", ";").split(";"):
        if chunk.strip():
            name, weight = chunk.strip().rsplit(" ", 1)
            result.append((name.strip(), float(weight)))
    return result


def pick(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def half(value: float) -> float:
    """Rounded to the nearest 0.5, halves up."""
    return math.floor(value * 2 + 0.5) / 2


def clamp(value: float, low: float = 0.0, high: float = 5.0) -> float:
    return min(max(value, low), high)


def title_case(label: str) -> str:
    small = {"and", "or", "of", "with", "for", "in", "on", "the", "a", "to"}
    words = label.split()
    out = []
    for i, word in enumerate(words):
        if word.islower() and (i == 0 or word not in small):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out)


PROPER_FIRST_WORDS = {
    "Amazon",
    "Apache",
    "Docker",
    "Git",
    "Google",
    "Linux",
    "Microsoft",
    "Power",
    "React",
    "Spring",
}


def in_sentence(skill: Skill) -> str:
    """The label as written mid-sentence: common nouns lower-cased, names and acronyms kept."""
    label = skill.label
    first = label.split()[0]
    phrase = skill.kind in (SkillKind.SKILL, SkillKind.KNOWLEDGE) or (
        skill.kind is SkillKind.TECHNOLOGY and " " in label
    )
    common = phrase and label[1:2].islower() and first not in PROPER_FIRST_WORDS
    return label[0].lower() + label[1:] if common else label


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


# ---------------------------------------------------------------- skills


def build_skills() -> tuple[dict[str, Skill], list[SkillRelation]]:
    skills: dict[str, Skill] = {}
    relations: list[SkillRelation] = []
    for line in SKILLS.strip().splitlines():
        id_, label, code, parent, alts, description = (p.strip() for p in line.split("|"))
        alt_labels = tuple(a.strip() for a in alts.split(";") if a.strip())
        skills[id_] = Skill(id_, label, alt_labels, description, KIND_CODES[code])
        if parent:
            relations.append(SkillRelation(id_, parent, RelationKind.BROADER))
    for before, after in pairs(PREREQUISITES, ">"):
        relations.append(SkillRelation(before, after, RelationKind.PREREQUISITE))
    for a, b in pairs(RELATED, "~"):
        relations.append(SkillRelation(a, b, RelationKind.RELATED, 0.5))
    return skills, relations


def neighbours(relations: Iterable[SkillRelation], *kinds: RelationKind) -> dict[str, list[str]]:
    """Skills next to each skill through edges of the given kinds, either direction."""
    result: dict[str, list[str]] = {}
    for rel in relations:
        if rel.kind not in kinds:
            continue
        result.setdefault(rel.source, []).append(rel.target)
        result.setdefault(rel.target, []).append(rel.source)
    return result


def prerequisites_of(relations: Iterable[SkillRelation]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for rel in relations:
        if rel.kind is RelationKind.PREREQUISITE:
            result.setdefault(rel.target, []).append(rel.source)
    return result


# ---------------------------------------------------------------- roles


def track_requirements(track: Track, seniority: int) -> tuple[SkillRequirement, ...]:
    first = min(r.seniority for r in track.rungs)
    result = []
    for entry in track.skills.split(";"):
        if not entry.strip():
            continue
        words = entry.split()
        skill, level, importance = words[0], float(words[1]), float(words[2])
        since, rate = first, 0.75
        for word in words[3:]:
            if word.startswith("@"):
                since = int(word[1:])
            elif word.startswith("+"):
                rate = float(word[1:])
        if seniority >= since:
            result.append(
                SkillRequirement(
                    skill, half(clamp(level + rate * (seniority - since), 1.0)), importance
                )
            )
    return tuple(result)


def build_roles() -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for track in TRACKS:
        for rung in track.rungs:
            roles[rung.id] = Role(
                id=rung.id,
                title=rung.title,
                description=rung.description,
                family=track.family,
                seniority=rung.seniority,
                requirements=track_requirements(track, rung.seniority),
                alt_titles=rung.alt_titles,
                tasks=track.tasks if track.skills else (),
                group=track.group,
            )
    return roles


def overlap(a: Role, b: Role) -> float:
    """Importance-weighted Jaccard similarity of two skill profiles."""
    wa = {r.skill_id: r.importance for r in a.requirements}
    wb = {r.skill_id: r.importance for r in b.requirements}
    keys = sorted(set(wa) | set(wb))
    top = sum(min(wa.get(k, 0.0), wb.get(k, 0.0)) for k in keys)
    bottom = sum(max(wa.get(k, 0.0), wb.get(k, 0.0)) for k in keys)
    return top / bottom if bottom else 0.0


def move_weights(roles: dict[str, Role]) -> dict[str, dict[str, float]]:
    """weights[a][b]: how often people move from role a to role b (unnormalised).

    Promotions up the own ladder dominate; moves to other ladders need shared skills and about
    the same seniority; a few known moves between families come from EXTRA_MOVES.
    """
    extra = {}
    for chunk in EXTRA_MOVES.replace("\n", ";").split(";"):
        if chunk.strip():
            move, weight = chunk.strip().rsplit(" ", 1)
            source, target = (x.strip() for x in move.split(">"))
            extra[(source, target)] = float(weight)
    weights: dict[str, dict[str, float]] = {}
    for a in roles.values():
        row = {}
        for b in roles.values():
            w = extra.get((a.id, b.id), 0.0) + _generic_weight(a, b)
            if w >= 0.3:
                row[b.id] = round(w, 3)
        weights[a.id] = row
    return weights


def _generic_weight(a: Role, b: Role) -> float:
    if a.id == b.id or not a.requirements or not b.requirements:
        return 0.0
    step = b.seniority - a.seniority
    if a.group == b.group:
        return 10.0 if step == 1 else 0.0
    shared = overlap(a, b)
    if a.family == b.family:
        return {1: 2.0, 0: 2.0}.get(step, 0.0) * shared
    if max(a.seniority, b.seniority) >= 5:
        return 0.0  # leaders rarely switch families, except the moves in EXTRA_MOVES
    return {0: 1.5, -1: 1.0, 1: 1.0}.get(step, 0.0) * shared


# ---------------------------------------------------------------- employees


@dataclass
class Person:
    id: str
    name: str
    role: Role
    department: str
    location: str
    manager_id: str | None = None
    history: list[RoleSpell] = field(default_factory=list)
    skills: dict[str, SkillLevel] = field(default_factory=dict)
    interests: list[str] = field(default_factory=list)
    about: str = ""
    active: bool = True
    about_only: bool = False


def assign_names(rng: random.Random, count: int) -> list[str]:
    combos = [f"{f} {last}" for f in FIRST_NAMES_TEXT.split() for last in LAST_NAMES_TEXT.split()]
    return rng.sample(combos, count)


def build_people(rng: random.Random, roles: dict[str, Role]) -> list[Person]:
    plan = [(role_id, int(n)) for role_id, n in weighted_names(HEADCOUNT)]
    order = {fam: i for i, fam in enumerate(LOCATION_MIX)}
    slots = sorted(
        (role_id for role_id, n in plan for _ in range(n)),
        key=lambda r: (order[roles[r].family], -roles[r].seniority),
    )
    names = assign_names(rng, len(slots))
    people = []
    for i, role_id in enumerate(slots):
        role = roles[role_id]
        location = pick(rng, weighted_names(LOCATION_MIX[role.family]))
        people.append(Person(f"e{i + 1:04d}", names[i], role, role.family, location))
    return people


def is_manager_role(role: Role) -> bool:
    return role.seniority == 5 or (role.seniority == 4 and "lead" in role.id)


def assign_managers(rng: random.Random, people: list[Person]) -> None:
    """One tree per department: the head, then managers and leads, then everyone else."""
    for department in LOCATION_MIX:
        members = [p for p in people if p.department == department]
        head = next(p for p in members if p.role.seniority == 5)
        leads = [p for p in members if p is not head and is_manager_role(p.role)]
        for person in members:
            if person is head:
                continue
            if person in leads or not leads:
                person.manager_id = head.id
                continue
            weights = [
                4.0
                if lead.role.group == person.role.group
                else 2.0
                if lead.role.group == "engineering-management"
                else 1.0
                for lead in leads
            ]
            person.manager_id = rng.choices(leads, weights=weights)[0].id


def sample_history(
    rng: random.Random, role: Role, roles: dict[str, Role], into: dict[str, dict[str, float]]
) -> list[RoleSpell]:
    """Spells oldest first, ending in `role` today; earlier roles drawn from who moves into it."""
    weights = SPELLS_BY_SENIORITY[max(role.seniority, 1)]
    count = rng.choices(range(1, len(weights) + 1), weights=weights)[0]
    chain = [role.id]
    while len(chain) < count:
        sources = sorted(into.get(chain[-1], {}).items())
        if not sources:
            break
        chain.append(pick(rng, sources))
    spells: list[RoleSpell] = []
    end: date | None = None
    start = TODAY - timedelta(days=rng.randint(60, 1300))
    for i, role_id in enumerate(chain):
        if i > 0:
            end = start - timedelta(days=1)
            start = end - timedelta(days=rng.randint(270, 1100))
        if start < FOUNDED:
            break
        spells.append(RoleSpell(role_id, start, end))
    return spells[::-1]


def tenure_years(spell: RoleSpell) -> float:
    return ((spell.end or TODAY) - spell.start).days / 365.25


def give_skills(
    rng: random.Random,
    person: Person,
    roles: dict[str, Role],
    near: dict[str, list[str]],
    skills: dict[str, Skill],
) -> None:
    levels: dict[str, float] = {}
    for spell in person.history[:-1]:
        for req in roles[spell.role_id].requirements:
            level = round(clamp(req.level - 0.5 + rng.gauss(0, 0.6)))
            levels[req.skill_id] = max(levels.get(req.skill_id, 0), level)
    current = person.history[-1] if person.history else None
    years = tenure_years(current) if current else 1.0
    adjust = -0.6 if years < 1 else (0.0 if years < 2.5 else 0.4)
    for req in person.role.requirements:
        if rng.random() < 0.08:
            continue  # not recorded, or a real blank
        level = round(clamp(req.level + adjust + rng.gauss(0, 0.75)))
        levels[req.skill_id] = max(levels.get(req.skill_id, 0), level)
    _strengths(rng, person, levels, near, skills)
    _languages(rng, person, levels)
    person.skills = {
        skill_id: SkillLevel(skill_id, float(level), *_evidence(rng))
        for skill_id, level in sorted(levels.items(), key=lambda kv: (-kv[1], kv[0]))
        if level >= 1
    }


def _strengths(
    rng: random.Random,
    person: Person,
    levels: dict[str, float],
    near: dict[str, list[str]],
    skills: dict[str, Skill],
) -> None:
    """Above-role strengths, neighbouring skills, and new technology among juniors."""
    owned = sorted(levels)
    if owned and rng.random() < 0.25:
        for skill_id in rng.sample(owned, min(2, len(owned))):
            levels[skill_id] = min(5, levels[skill_id] + 1)
    if owned and rng.random() < 0.35:
        base = rng.choice(owned)
        options = [
            s
            for s in near.get(base, [])
            if s not in levels and skills[s].kind is not SkillKind.GROUP
        ]
        if options:
            levels[rng.choice(options)] = rng.choice((2, 3, 3, 4))
    new_tech = NEW_TECH[person.department]
    if person.role.seniority <= 2 and rng.random() < 0.45:
        levels[rng.choice(new_tech)] = rng.choice((4, 4, 4, 5))
    elif person.role.seniority >= 4:
        for skill_id in new_tech:
            if skill_id in levels:
                levels[skill_id] = min(levels[skill_id], rng.choice((1, 2)))
            elif rng.random() < 0.15:
                levels[skill_id] = rng.choice((1, 2))


def _languages(rng: random.Random, person: Person, levels: dict[str, float]) -> None:
    levels["english"] = rng.choice((3, 4, 4, 5, 5))
    local = LOCAL_LANGUAGES.get(person.location)
    if local and rng.random() < local[1]:
        levels[local[0]] = rng.randint(local[2], 5)


def _evidence(rng: random.Random) -> tuple[Evidence, date | None]:
    evidence = rng.choices([e for e, _ in EVIDENCE_MIX], weights=[w for _, w in EVIDENCE_MIX])[0]
    updated = day_between(rng, date(2023, 7, 1), TODAY) if rng.random() < 0.5 else None
    return evidence, updated


def give_interests(
    rng: random.Random, person: Person, roles: dict[str, Role], moves: dict[str, dict[str, float]]
) -> None:
    roll = rng.random()
    if roll < 0.55:
        options = sorted(moves.get(person.role.id, {}).items())
        if options:
            target = roles[pick(rng, options)]
            person.interests.append(target.id)
            gaps = [
                r.skill_id
                for r in sorted(target.requirements, key=lambda r: (-r.importance, r.skill_id))
                if person.skills.get(r.skill_id, SkillLevel(r.skill_id, 0.0)).level < r.level
            ]
            person.interests.extend(gaps[: rng.randint(0, 2)])
    elif roll < 0.65:
        person.interests.append(rng.choice(FREE_TEXT_INTERESTS))


def write_about(rng: random.Random, person: Person, skills: dict[str, Skill]) -> None:
    role = person.role
    top = [
        skills[s].label for s in list(person.skills)[:3] if skills[s].kind is not SkillKind.LANGUAGE
    ]
    if person.about_only and not role.requirements:
        person.about = (
            f"I work as {article(role.title)} {role.title} in the {person.department} team in {person.location}. "
            f"The job, in our words: {role.description}"
        )
    elif person.about_only:
        labels = [in_sentence(skills[r.skill_id]) for r in role.requirements[:6]]
        tasks = ", and I ".join(t[0].lower() + t[1:] for t in role.tasks[:2])
        person.about = (
            f"I work as {article(role.title)} {role.title} in the {person.department} team in {person.location}. "
            f"Day to day I {tasks}. I'm comfortable with {', '.join(labels[:-1])} and {labels[-1]}, "
            f"and I'm keen to keep growing."
        )
    elif top and rng.random() < 0.4:
        sentence = (
            f"{role.title} in {person.location}. I mostly work on {', '.join(top[:-1])} and {top[-1]}."
            if len(top) > 1
            else f"{role.title} in {person.location}, working mostly on {top[0]}."
        )
        extra = rng.choice(
            (
                "",
                " Happy to help others get started.",
                " Always up for pairing.",
                " I like turning messy problems into simple ones.",
                " Currently learning something new every quarter.",
            )
        )
        person.about = sentence + extra


def build_employees(
    rng: random.Random,
    roles: dict[str, Role],
    skills: dict[str, Skill],
    relations: list[SkillRelation],
) -> tuple[dict[str, Employee], list[Person]]:
    moves = move_weights(roles)
    into: dict[str, dict[str, float]] = {}
    for a, row in moves.items():
        for b, w in row.items():
            into.setdefault(b, {})[a] = w
    near = neighbours(relations, RelationKind.RELATED, RelationKind.PREREQUISITE)
    people = build_people(rng, roles)
    assign_managers(rng, people)
    managers = {p.manager_id for p in people if p.manager_id}
    for person in people:
        person.history = sample_history(rng, person.role, roles, into)
        ic = person.id not in managers and person.role.seniority <= 3
        person.about_only = ic and rng.random() < 0.05
        person.active = not (ic and not person.about_only and rng.random() < 0.04)
        if not person.about_only:
            give_skills(rng, person, roles, near, skills)
        give_interests(rng, person, roles, moves)
        write_about(rng, person, skills)
        if not person.active:
            last = person.history[-1]
            earliest = min(last.start + timedelta(days=30), TODAY - timedelta(days=7))
            left = day_between(rng, earliest, TODAY - timedelta(days=7))
            person.history[-1] = RoleSpell(last.role_id, last.start, left)
    employees = {
        p.id: Employee(
            id=p.id,
            name=p.name,
            role_id=p.role.id,
            manager_id=p.manager_id,
            department=p.department,
            location=p.location,
            utc_offset=LOCATIONS[p.location],
            skills=tuple(p.skills.values()),
            history=tuple(p.history),
            interests=tuple(p.interests),
            about=p.about,
            active=p.active,
        )
        for p in people
    }
    return employees, people


# ---------------------------------------------------------------- mentors


def build_mentors(
    rng: random.Random, people: list[Person], skills: dict[str, Skill]
) -> dict[str, MentorOffer]:
    offers: dict[str, MentorOffer] = {}
    for person in people:
        if not person.active or person.about_only:
            continue
        strong = [
            s
            for s in person.skills.values()
            if s.level >= 4 and skills[s.skill_id].kind is not SkillKind.LANGUAGE
        ]
        if len(strong) < 2:
            continue
        seniority = person.role.seniority
        new_tech = [s for s in strong if s.skill_id in NEW_TECH[person.department]]
        if seniority >= 4:
            chance, modes = 0.55, [MentorMode.ONE_ON_ONE]
            if rng.random() < 0.45:
                modes.append(MentorMode.GROUP)
            capacity = rng.randint(2, 4)
        elif seniority == 3:
            chance, modes = 0.35, [MentorMode.ONE_ON_ONE]
            if rng.random() < 0.5:
                modes.append(MentorMode.PEER)
            capacity = rng.randint(1, 3)
        elif new_tech:
            chance, modes = 0.7, [MentorMode.REVERSE]
            if rng.random() < 0.4:
                modes.append(MentorMode.PEER)
            capacity = rng.randint(1, 2)
        else:
            chance, modes, capacity = 0.1, [MentorMode.PEER], 1
        if rng.random() >= chance:
            continue
        ranked = sorted(strong, key=lambda s: (s not in new_tech, -s.level, s.skill_id))
        # a reverse mentor offers the new technology, plus at most one other strength
        most = len(new_tech) + 1 if modes[0] is MentorMode.REVERSE else rng.randint(2, 5)
        topics = tuple(s.skill_id for s in ranked[:most])
        offers[f"mentor-{person.id}"] = MentorOffer(
            id=f"mentor-{person.id}",
            employee_id=person.id,
            capacity=capacity,
            modes=tuple(modes),
            topics=topics,
            max_group_size=rng.randint(3, 8) if MentorMode.GROUP in modes else 6,
            available=rng.random() < 0.92,
        )
    return offers


# ---------------------------------------------------------------- learning content

PROVIDERS = {
    Modality.COURSE: (
        "Northwind Academy",
        "Brightpath Learning",
        "Meridian Online",
        "Open Campus Courses",
        "CodeCraft School",
    ),
    Modality.BOOK: ("Harbor & Finch Press", "Lighthouse Books", "Quarry Press"),
    Modality.ARTICLE: ("Northwind Wiki", "Northwind Engineering Blog", "The Practitioner Review"),
    Modality.VIDEO: ("Northwind Tech Talks", "Brightpath Learning", "Meridian Online"),
    Modality.PODCAST: ("Work in Progress Podcast", "The Craft Cast", "Northwind Radio"),
    Modality.WORKSHOP: ("Northwind Academy", "Northwind People & Learning"),
}
TITLES = {
    Modality.COURSE: (
        "{label} Fundamentals",
        "Practical {label}",
        "{label}: From Basics to Practice",
        "Intermediate {label}",
        "Advanced {label}",
        "{label} Masterclass",
    ),
    Modality.BOOK: (
        "The {label} Handbook",
        "{label} in Practice",
        "A Field Guide to {label}",
        "Thinking in {label}",
    ),
    Modality.ARTICLE: (
        "Five Common Mistakes in {label}",
        "{label}: A Checklist for Your First Month",
        "How We Approach {label} at Northwind",
        "What Good {label} Looks Like",
    ),
    Modality.VIDEO: ("{label} Explained", "{label}: A Walkthrough", "{label} Deep Dive"),
    Modality.PODCAST: (
        "Talking {label} with Practitioners",
        "The {label} Episode",
        "Lessons Learned in {label}",
    ),
    Modality.WORKSHOP: ("Hands-on {label} Workshop", "{label} Clinic", "{label} Bootcamp"),
}
INTROS = {
    Modality.COURSE: "A self-paced course with graded exercises",
    Modality.BOOK: "A practical book with worked examples",
    Modality.ARTICLE: "A short article from colleagues who do this every day",
    Modality.VIDEO: "A recorded talk with a live demonstration",
    Modality.PODCAST: "A podcast episode with practitioners sharing stories and advice",
    Modality.WORKSHOP: "An instructor-led, hands-on workshop in a small group",
}
HOURS = {
    Modality.COURSE: (6, 40),
    Modality.BOOK: (8, 20),
    Modality.ARTICLE: (0.25, 0.5),
    Modality.VIDEO: (0.3, 1.5),
    Modality.PODCAST: (0.5, 1.25),
    Modality.WORKSHOP: (3, 16),
}
FORMAL_MODALITIES = tuple(PROVIDERS)

# Hand-written experience and community items: title | modality | skills (id:level) | description
EXPERIENCES = """
Own the on-call rotation for a quarter | stretch_assignment | incident-management:3 observability:3 sre-practices:2 | Be the primary on-call contact for your team's services for three months, run the weekly reliability review and write the postmortems.
Lead the migration of a service to Kubernetes | stretch_assignment | kubernetes:3 docker:3 ci-cd:3 | Move one production service from virtual machines to our Kubernetes platform, with the platform team as backup.
Run a design critique series for a quarter | stretch_assignment | facilitation:3 giving-feedback:3 visual-design:3 | Organise and facilitate a fortnightly critique where designers share work in progress and get structured feedback.
Drive the quarterly pricing review | stretch_assignment | pricing:3 financial-modeling:2 stakeholder-management:3 | Prepare the pricing analysis, model the options with finance and present a recommendation to the leadership team.
Act as interim team lead during a manager's leave | stretch_assignment | people-management:2 delegation:3 giving-feedback:3 | Run one-on-ones, planning and hiring for your team for two to three months, with a coach from the management circle.
Present the product roadmap at the all-hands | stretch_assignment | presentation-skills:3 roadmapping:3 | Prepare and deliver the roadmap update to the whole company, with rehearsal feedback from the product leads.
Join the threat modelling sessions of a new product | stretch_assignment | threat-modeling:3 application-security:2 | Represent your team in the security team's threat modelling of a new product and own the follow-up actions.
Own the onboarding of three new hires | stretch_assignment | onboarding:3 mentoring:2 | Plan the first ninety days for three new colleagues, pair with them and collect their feedback.
Build the quarterly board pack with the controller | stretch_assignment | financial-reporting:3 data-storytelling:3 | Prepare the financial section of the board pack and write the commentary on results.
Run the hiring loop for a new role | stretch_assignment | interviewing:3 hiring:2 | Design the interview loop, train the interviewers and run the debriefs for one open role.
Lead a customer advisory board session | stretch_assignment | customer-interviews:3 facilitation:3 | Plan and facilitate a half-day session with ten customers on next year's roadmap.
Take over a key enterprise renewal | stretch_assignment | account-management:3 negotiation:3 | Lead the renewal of a large account with support from a senior account executive.
Own an A/B test from design to decision | stretch_assignment | ab-testing:3 statistics:3 product-analytics:2 | Design the experiment, check its power, monitor it and present the decision.
Write the architecture decision record for a new service | stretch_assignment | software-architecture:3 technical-writing:3 | Document the options, trade-offs and decision for a new service and review it with staff engineers.
Coordinate the annual compensation review | stretch_assignment | compensation-benefits:3 spreadsheets:3 | Run the data collection, calibration sessions and communication of the yearly pay review.
Lead the GDPR data mapping for one product area | stretch_assignment | data-privacy:3 data-governance:2 | Map where personal data lives and flows in one product area and close the gaps with engineering.
Mentor an intern for the summer | stretch_assignment | mentoring:3 coaching:2 | Be the day-to-day mentor of a summer intern and help them ship a real project.
Lead an accessibility audit of the web app | stretch_assignment | web-accessibility:3 inclusive-design:3 | Audit the main user journeys against WCAG, prioritise the fixes and track them to done.
Pilot an internal LLM assistant for support tickets | stretch_assignment | llm-applications:3 prompt-engineering:3 | Build and evaluate a small assistant that drafts answers to support tickets, with the support team as users.
Run the weekly pipeline review for a month | stretch_assignment | sales-forecasting:3 crm-salesforce:3 | Prepare and run the team's pipeline review while the team lead is travelling.
Facilitate a team retrospective series | stretch_assignment | facilitation:3 agile-scrum:3 | Run the retrospectives of another team for a quarter and try new formats.
Build a churn prediction model | project | machine-learning:3 feature-engineering:3 model-evaluation:3 | Predict which customers are likely to churn next quarter and hand the scores to customer success.
Create a self-serve sales dashboard | project | tableau:3 data-visualization:3 sql:3 | Build the dashboard account executives use to track their pipeline and activity.
Migrate a cron job to an Airflow pipeline | project | airflow:3 etl-pipelines:3 | Replace a fragile nightly script with a monitored, retried Airflow pipeline.
Build components for the design system | project | design-systems:3 react:3 figma:3 | Design and build three new components end to end, from Figma to the React library.
Ship a GraphQL gateway prototype | project | graphql:3 nodejs:3 | Build a prototype gateway that combines two internal APIs into one GraphQL schema.
Set up SLOs and alerting for a service | project | sre-practices:3 observability:3 | Define service level objectives, dashboards and alerts for one production service.
Build a retrieval-augmented FAQ bot | project | llm-applications:4 nlp:3 python:3 | Build a bot that answers employee questions from the internal wiki, and measure its answers.
Automate month-end reconciliations | project | financial-accounting:3 python:2 spreadsheets:3 | Script the bank and ledger reconciliations that take two days of manual work every month.
Build an attrition dashboard | project | hr-analytics:3 power-bi:3 | Show attrition and its drivers by team and tenure for the people partners.
Run a penetration test on a staging service | project | penetration-testing:3 application-security:3 | Test one staging service with the security team and write up the findings.
Build a demand forecast for support staffing | project | time-series-forecasting:3 python:3 | Forecast weekly support ticket volume to plan staffing.
Redesign the onboarding flow | project | interaction-design:3 usability-testing:3 prototyping:3 | Redesign the first-run experience of the product and test it with five new customers.
Recommend help articles in the product | project | recommender-systems:3 python:3 | Build a first recommender that suggests help articles from what a user is doing.
Terraform the staging environment | project | terraform:3 aws:3 | Bring the hand-built staging environment under Terraform.
Add offline mode to the mobile app | project | swift-ios:3 kotlin-android:3 mobile-release:2 | Let the apps work without a connection and sync later, in both iOS and Android.
Python Guild | community | python:3 code-review:3 | The company-wide community of Python users: monthly talks, code review swaps and a help channel.
Frontend Guild | community | javascript:3 react:3 typescript:3 | Frontend engineers share patterns, review each other's components and plan shared tooling.
Data Science Community of Practice | community | machine-learning:3 model-evaluation:3 | A monthly paper club and model review session for everyone who builds models.
Analytics Office Hours | community | sql:3 data-visualization:3 | Weekly drop-in sessions where analysts help anyone with queries and charts.
Design Critique Circle | community | visual-design:3 interaction-design:3 | Designers from every team show work in progress and get structured critique.
Security Champions Network | community | secure-coding:3 threat-modeling:2 application-security:2 | One engineer per team who learns security practice and brings it back to the team.
Platform and SRE Guild | community | kubernetes:3 sre-practices:3 | Engineers who run production share incidents, tools and reliability practice.
Product Craft Circle | community | product-discovery:3 roadmapping:3 | Product managers share discovery stories, roadmaps and templates.
Sales Enablement Circle | community | discovery-calls:3 negotiation:3 | Sellers practise discovery and negotiation in role plays and share winning stories.
New Managers Circle | community | people-management:3 giving-feedback:3 delegation:3 | First-time managers meet monthly with an experienced manager to work through real situations.
AI Builders Club | community | llm-applications:3 prompt-engineering:3 | Colleagues from every department share what they build with generative AI and how they evaluate it.
Speakers Club | community | presentation-skills:3 | Practise public speaking in a safe group with feedback on every talk.
Finance Business Partnering Forum | community | fpa:3 stakeholder-management:3 | Finance colleagues who support departments share models, dashboards and advice.
People Analytics Meetup | community | hr-analytics:3 statistics:2 | People partners and analysts explore HR data questions together.
Writing Club | community | written-communication:3 technical-writing:3 | Bring a document you are writing and get feedback on clarity and structure.
"""

# Items a curator added without skill tags; the engine infers them from the text.
UNTAGGED = """
Lunch and Learn: How Our Payments System Works | video | Northwind Tech Talks | 1 | 2 | A staff engineer walks through the services, queues and database tables behind card payments, and how failures are retried.
Writing SQL Your Future Self Can Read | article | Northwind Wiki | 0.5 | 2 | Naming, formatting and common table expressions that make analytical queries easy to review and change.
A Tour of Our Kubernetes Clusters | video | Northwind Tech Talks | 1 | 2 | How our clusters, namespaces, deployments and ingress are organised, and how to debug a failing pod.
Running Effective One-on-Ones | workshop | Northwind People & Learning | 3 | 2 | For new managers: structure, questions that open people up, follow-ups and giving feedback that lands.
Reading a Cash Flow Statement | article | The Practitioner Review | 0.5 | 1 | What operating, investing and financing cash flows tell you, with our own statements as the example.
Introduction to Accessibility Audits | course | Brightpath Learning | 6 | 2 | Check web pages against WCAG with a screen reader and automated tools, and report what to fix first.
Negotiating Your First Enterprise Deal | podcast | Work in Progress Podcast | 1 | 2 | Two account executives on procurement, discounts, legal redlines and how they kept deals moving.
Remote Book Club | community | Northwind People & Learning | 12 | 1 | A monthly online book club across offices; this quarter's theme is how teams make decisions.
"""


def build_items(
    rng: random.Random, skills: dict[str, Skill], relations: list[SkillRelation]
) -> dict[str, LearningItem]:
    before = prerequisites_of(relations)
    near = neighbours(relations, RelationKind.RELATED)
    taught = [s for s in skills.values() if s.kind is not SkillKind.GROUP]
    items: dict[str, LearningItem] = {}
    titles: set[str] = set()
    cycle = list(FORMAL_MODALITIES)
    for i, skill in enumerate(taught):
        count = 2 if i % 3 == 0 else 1
        for _ in range(count):
            modality = cycle[rng.randrange(len(cycle))]
            level = (
                rng.choice((1, 1, 2, 2, 3))
                if modality is not Modality.ARTICLE
                else rng.choice((1, 2))
            )
            item = formal_item(rng, skill, modality, level, before, near, skills, titles)
            items[item.id] = item
    for line in EXPERIENCES.strip().splitlines():
        item = experience_item(rng, line, before)
        items[item.id] = item
    for line in UNTAGGED.strip().splitlines():
        title, kind, provider, hours, pitch, description = (p.strip() for p in line.split("|"))
        item_id = "item-" + slug(title)
        items[item_id] = LearningItem(
            item_id,
            title,
            description,
            provider,
            Modality(kind),
            float(hours),
            float(pitch),
            url=f"https://learn.northwind.example/{slug(title)}",
        )
    return items


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)[:60]


def formal_item(
    rng: random.Random,
    skill: Skill,
    modality: Modality,
    level: int,
    before: dict[str, list[str]],
    near: dict[str, list[str]],
    skills: dict[str, Skill],
    titles: set[str],
) -> LearningItem:
    templates = list(TITLES[modality])
    if modality is Modality.COURSE:
        templates = templates[:3] if level <= 2 else templates[3:]
    rng.shuffle(templates)
    label = title_case(skill.label)
    title = next(
        (t.format(label=label) for t in templates if t.format(label=label) not in titles),
        f"{label} ({modality.value})",
    )
    titles.add(title)
    provider = rng.choice(PROVIDERS[modality])
    low, high = HOURS[modality]
    hours = round(rng.uniform(low, high) * (1.3 if level >= 3 else 1.0), 1 if high < 2 else 0)
    reach = min(
        5, level + (2 if modality in (Modality.COURSE, Modality.WORKSHOP, Modality.BOOK) else 1)
    )
    teaches = [SkillTaught(skill.id, float(reach))]
    extra = [s for s in near.get(skill.id, []) if s not in before.get(skill.id, [])]
    if (
        extra
        and modality in (Modality.COURSE, Modality.BOOK, Modality.WORKSHOP)
        and rng.random() < 0.6
    ):
        teaches.append(SkillTaught(rng.choice(sorted(extra)), float(max(1, reach - 1))))
    needs = [
        SkillRequirement(p, float(max(1, min(level, 3)))) for p in sorted(before.get(skill.id, []))
    ]
    if level >= 3:
        needs.insert(0, SkillRequirement(skill.id, float(level - 1)))
    description = f"{INTROS[modality]} on {in_sentence(skill)}. {skill.description}"
    if level >= 3:
        description += " Pitched at people who already use it and want to go deeper."
    elif level == 1:
        description += " No prior experience needed."
    syllabus = ""
    if modality in (Modality.COURSE, Modality.WORKSHOP, Modality.BOOK):
        parts = [f"Foundations of {skill.label}", f"{skill.label} in real projects"]
        parts += [f"{skills[t.skill_id].label} alongside {skill.label}" for t in teaches[1:]]
        parts.append(
            "Capstone exercise and review" if modality is not Modality.BOOK else "Case studies"
        )
        syllabus = " ".join(f"{n + 1}. {p}." for n, p in enumerate(parts))
    item_id = "item-" + slug(title)
    return LearningItem(
        item_id,
        title,
        description,
        provider,
        modality,
        float(hours),
        float(level),
        tuple(teaches),
        tuple(needs),
        syllabus,
        f"https://learn.northwind.example/{slug(title)}",
    )


def experience_item(rng: random.Random, line: str, before: dict[str, list[str]]) -> LearningItem:
    title, modality_name, taught, description = (p.strip() for p in line.split("|"))
    modality = Modality(modality_name)
    teaches = tuple(SkillTaught(s.split(":")[0], float(s.split(":")[1])) for s in taught.split())
    level = float(min(t.level for t in teaches) - 1)
    taught_ids = {t.skill_id for t in teaches}
    needs = tuple(
        SkillRequirement(p, 2.0)
        for p in sorted({p for t in teaches for p in before.get(t.skill_id, [])})
        if p not in taught_ids
    )[:3]
    hours = {
        Modality.STRETCH_ASSIGNMENT: (40, 120),
        Modality.PROJECT: (60, 200),
        Modality.COMMUNITY: (10, 24),
    }[modality]
    provider = "Northwind Communities" if modality is Modality.COMMUNITY else "Northwind internal"
    return LearningItem(
        "item-" + slug(title),
        title,
        description,
        provider,
        modality,
        float(rng.randint(*hours)),
        level,
        teaches,
        needs,
        url=f"https://learn.northwind.example/{slug(title)}",
    )


# ---------------------------------------------------------------- feedback


def gap_skill(person: Person, roles: dict[str, Role]) -> str | None:
    """The most important skill the person lacks for their role (or the role they want)."""
    targets = [person.role] + [roles[i] for i in person.interests if i in roles]
    best: tuple[float, str] | None = None
    for role in targets:
        for req in role.requirements:
            have = person.skills[req.skill_id].level if req.skill_id in person.skills else 0.0
            if have < req.level:
                score = req.importance * (req.level - have)
                if best is None or (score, req.skill_id) > best:
                    best = (score, req.skill_id)
    return best[1] if best else None


def moment(rng: random.Random) -> datetime:
    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    return start + timedelta(days=rng.randint(0, 520), minutes=15 * rng.randint(0, 36))


def build_feedback(
    rng: random.Random,
    people: list[Person],
    roles: dict[str, Role],
    offers: dict[str, MentorOffer],
    items: dict[str, LearningItem],
) -> dict[str, Feedback]:
    by_id = {p.id: p for p in people}
    accepted: dict[str, int] = {}
    feedback: list[Feedback] = []
    mentees = [p for p in people if p.active and p.skills and gap_skill(p, roles)]
    for person in rng.sample(mentees, 150):
        gap = gap_skill(person, roles)
        options = [
            o
            for o in offers.values()
            if o.employee_id != person.id
            and by_id[o.employee_id].manager_id != person.id
            and person.manager_id != o.employee_id
        ]
        matching = [o for o in options if gap in o.topics]
        offer = rng.choice(matching) if matching and rng.random() < 0.7 else rng.choice(options)
        mentor = by_id[offer.employee_id]
        match = gap in offer.topics
        near_tz = abs(LOCATIONS[mentor.location] - LOCATIONS[person.location]) <= 3
        p_accept = 0.15 + 0.45 * match + 0.2 * near_tz + (0.1 if offer.available else -0.1)
        has_room = accepted.get(offer.id, 0) < offer.capacity - 1
        if has_room and rng.random() < p_accept:
            accepted[offer.id] = accepted.get(offer.id, 0) + 1
            rating = int(clamp(round(2.6 + 1.2 * match + 0.6 * near_tz + rng.gauss(0, 0.6)), 1, 5))
            verdict, comment = (
                FeedbackVerdict.ACCEPTED,
                rng.choice(
                    (
                        "",
                        "Very helpful sessions.",
                        "Good fit for what I needed.",
                        "Practical advice, would recommend.",
                        "Took a while to schedule.",
                    )
                ),
            )
        else:
            rating = None
            verdict, comment = (
                FeedbackVerdict.DECLINED,
                rng.choice(
                    (
                        "",
                        "Not the topic I was looking for.",
                        "Time zones did not work out.",
                        "Mentor had no capacity.",
                        "Found another mentor.",
                    )
                ),
            )
        feedback.append(
            Feedback(
                "",
                person.id,
                TargetKind.MENTOR,
                offer.id,
                verdict,
                rating,
                comment,
                gap or "",
                moment(rng),
            )
        )
    teaching: dict[str, list[str]] = {}
    for item in items.values():
        for t in item.skills:
            teaching.setdefault(t.skill_id, []).append(item.id)
    all_items = sorted(items)
    for person in rng.sample(mentees, 80):
        gap = gap_skill(person, roles)
        useful_pool = teaching.get(gap or "", [])
        if useful_pool and rng.random() < 0.6:
            item_id = rng.choice(useful_pool)
            verdict = FeedbackVerdict.USEFUL if rng.random() < 0.8 else FeedbackVerdict.NOT_USEFUL
        else:
            item_id = rng.choice(all_items)
            verdict = FeedbackVerdict.NOT_USEFUL if rng.random() < 0.7 else FeedbackVerdict.USEFUL
        rating = rng.randint(4, 5) if verdict is FeedbackVerdict.USEFUL else rng.randint(1, 3)
        feedback.append(
            Feedback(
                "",
                person.id,
                TargetKind.CONTENT,
                item_id,
                verdict,
                rating,
                "",
                gap or "",
                moment(rng),
            )
        )
    feedback.sort(key=lambda f: (f.created_at or datetime.min.replace(tzinfo=UTC), f.employee_id))
    return {
        f"fb-{i + 1:04d}": Feedback(
            f"fb-{i + 1:04d}",
            f.employee_id,
            f.target_kind,
            f.target_id,
            f.verdict,
            f.rating,
            f.comment,
            f.context,
            f.created_at,
        )
        for i, f in enumerate(feedback)
    }


# ---------------------------------------------------------------- main


def build(seed: int = SEED) -> Records:
    rng = random.Random(seed)
    skills, relations = build_skills()
    roles = build_roles()
    employees, people = build_employees(rng, roles, skills, relations)
    mentors = build_mentors(rng, people, skills)
    items = build_items(rng, skills, relations)
    feedback = build_feedback(rng, people, roles, mentors, items)
    return Records(
        skills,
        relations,
        roles,
        employees,
        mentors,
        items,
        feedback,
        sources=[f"company {COMPANY}"],
    )


def fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else OUT_DIR
    records = build()
    write_company(records, out)
    loaded = load_company(out)  # the files must load back without error
    counts = ", ".join(f"{k} {v}" for k, v in loaded.counts().items())
    print(f"wrote {out}: {counts} (sha256 {fingerprint(out)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
